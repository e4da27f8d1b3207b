package complaints_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/complaints/fakeplatform"
	"policybot/store"
	"policybot/store/storetest"
)

// benchWorkerConfig is a worker as it would run, but for Poll, which
// BenchmarkFilingToDelivery varies.
var benchWorkerConfig = complaints.WorkerConfig{
	Concurrency:    16,
	AttemptTimeout: time.Second,
	Lease:          5 * time.Second,
	Poll:           10 * time.Millisecond,
}

var benchDBs = []struct {
	name  string
	newDB storetest.NewDB
}{{"SQLite", storetest.SQLite}, {"Postgres", postgresDB}}

// BenchmarkOutboxThroughput delivers b.N tickets filed beforehand to a
// platform that answers at once, and reports tickets delivered a second.
func BenchmarkOutboxThroughput(b *testing.B) {
	for _, db := range benchDBs {
		b.Run(db.name, func(b *testing.B) {
			e := newOutboxEnv(b, db.newDB)
			e.withFake(b, fakeplatform.Config{})
			for i := range b.N {
				if _, _, err := e.s.FileTicket(context.Background(), newTicket(i+1), chat); err != nil {
					b.Fatal(err)
				}
			}
			var delivered atomic.Int64
			done := make(chan struct{})
			w := e.worker(b, e.s, benchWorkerConfig, complaints.Hooks{Attempted: func(_ store.Delivery, o complaints.Outcome, _ time.Duration, _ error) {
				if o == complaints.Delivered && delivered.Add(1) == int64(b.N) {
					close(done)
				}
			}})
			b.ResetTimer()
			start := time.Now()
			stop := run(b, w)
			select {
			case <-done:
			case <-time.After(5 * time.Minute):
				b.Fatalf("%d of %d delivered within 5 minutes", delivered.Load(), b.N)
			}
			took := time.Since(start)
			b.StopTimer()
			stop()
			b.ReportMetric(float64(b.N)/took.Seconds(), "tickets/s")
		})
	}
}

// BenchmarkFilingToDelivery files tickets at 200 a second, well within
// what the worker delivers, and reports the delay from filing to the
// platform's acceptance at the median and the 99th percentile. With
// nothing due the worker polls every Poll, which bounds the delay of a
// ticket filed while it waits.
func BenchmarkFilingToDelivery(b *testing.B) {
	for _, db := range benchDBs {
		for _, poll := range []time.Duration{10 * time.Millisecond, time.Second} {
			b.Run(fmt.Sprintf("%s/poll=%v", db.name, poll), func(b *testing.B) {
				e := newOutboxEnv(b, db.newDB)
				e.withFake(b, fakeplatform.Config{})
				var mu sync.Mutex // guards delays
				var delays []time.Duration
				cfg := benchWorkerConfig
				cfg.Poll = poll
				w := e.worker(b, e.s, cfg, complaints.Hooks{Attempted: func(d store.Delivery, o complaints.Outcome, _ time.Duration, _ error) {
					if o == complaints.Delivered {
						mu.Lock()
						delays = append(delays, time.Since(d.Ticket.CreatedAt))
						mu.Unlock()
					}
				}})
				stop := run(b, w)
				b.ResetTimer()
				tick := time.NewTicker(5 * time.Millisecond)
				defer tick.Stop()
				for i := range b.N {
					<-tick.C
					if _, _, err := e.s.FileTicket(context.Background(), newTicket(i+1), chat); err != nil {
						b.Fatal(err)
					}
				}
				waitFor(b, e.s, "all delivered", allDelivered(b.N))
				b.StopTimer()
				stop()
				mu.Lock()
				defer mu.Unlock()
				slices.Sort(delays)
				b.ReportMetric(ms(delays[len(delays)/2]), "p50-ms")
				b.ReportMetric(ms(delays[len(delays)*99/100]), "p99-ms")
			})
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
