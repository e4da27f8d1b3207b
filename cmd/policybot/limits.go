package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"policybot/api"
	"policybot/internal/ratelimit"
)

// limitsConfig is the rate limits of serve and what decides who a client
// is. Each limit is a rate and a burst; a rate of 0 turns it off.
type limitsConfig struct {
	// Address, User and Login are events a minute: requests of a client
	// address to the public API, chat turns of a WeChat user, logins of an
	// address.
	Address, User, Login rate
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// Exempt lists the networks of the clients that the address, user and
	// login limits do not apply to; the integrators' limit applies anywhere.
	Exempt []netip.Prefix
	// Timeout bounds a decision asked of Redis; past it the replica
	// decides in its own memory.
	Timeout time.Duration
}

// rate is one limit as its flags give it.
type rate struct{ Rate, Burst int }

// limit is r as the limiter takes it, per period; the zero Limit when r
// is off.
func (r rate) limit(per time.Duration) ratelimit.Limit {
	if r.Rate == 0 {
		return ratelimit.Limit{}
	}
	return ratelimit.Limit{Rate: r.Rate, Period: per, Burst: r.Burst}
}

// loopback is the default of --rate-limit-exempt: local scoring and load
// tests run unlimited.
const loopback = "127.0.0.0/8,::1/128"

// addLimitFlags registers the flags of the rate limits on fs, their
// defaults read from getenv, and returns the function that checks them
// once fs is parsed. The integrators' limit, per second since it predates
// the others, lives in c.IntegratorRate and c.IntegratorBurst.
func addLimitFlags(fs *flag.FlagSet, getenv envReader, c *config) (check func() error) {
	var errs []error
	envDefault := func(env, def string) string {
		if v := getenv(env); v != "" {
			return v
		}
		return def
	}
	count := func(p *int, name, env string, def int, usage string) {
		v := envDefault(env, strconv.Itoa(def))
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want a number, 0 or more", env, v))
		}
		*p = n
		fs.Func(name, fmt.Sprintf("%s (env %s, default %d)", usage, env, def), func(s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return errors.New("want a number, 0 or more")
			}
			*p = n
			return nil
		})
	}
	networks := func(p *[]netip.Prefix, name, env, def, usage string) {
		v := envDefault(env, def)
		var err error
		if *p, err = parsePrefixes(v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", env, v, err))
		}
		fs.Func(name, fmt.Sprintf("%s (env %s, default %q)", usage, env, def), func(s string) (err error) {
			*p, err = parsePrefixes(s)
			return err
		})
	}
	l := &c.Limits
	count(&l.Address.Rate, "address-rate", "POLICYBOT_ADDRESS_RATE", 600, "`requests` a minute each client address may make to the public API; 0 turns the limit off")
	count(&l.Address.Burst, "address-burst", "POLICYBOT_ADDRESS_BURST", 60, "`requests` each client address may make at once")
	count(&l.User.Rate, "user-rate", "POLICYBOT_USER_RATE", 30, "chat `turns` a minute each logged-in WeChat user may take; 0 turns the limit off")
	count(&l.User.Burst, "user-burst", "POLICYBOT_USER_BURST", 10, "chat `turns` each logged-in WeChat user may take at once")
	count(&l.Login.Rate, "login-rate", "POLICYBOT_LOGIN_RATE", 20, "WeChat `logins` a minute each client address may make, counted before WeChat is asked; 0 turns the limit off")
	count(&l.Login.Burst, "login-burst", "POLICYBOT_LOGIN_BURST", 10, "WeChat `logins` each client address may make at once")
	count(&c.IntegratorRate, "integrator-rate", "POLICYBOT_INTEGRATOR_RATE", 20, "`calls` a second each integrator key may make to the --complaints routes; 0 turns the limit off")
	count(&c.IntegratorBurst, "integrator-burst", "POLICYBOT_INTEGRATOR_BURST", 40, "`calls` each integrator key may make at once")
	networks(&l.TrustedProxies, "trusted-proxies", "POLICYBOT_TRUSTED_PROXIES", "", "comma-separated `networks` (CIDR) of the proxies whose X-Forwarded-For names the client; empty trusts none")
	networks(&l.Exempt, "rate-limit-exempt", "POLICYBOT_RATE_LIMIT_EXEMPT", loopback, "comma-separated `networks` (CIDR) of the clients the address, user and login limits do not apply to; empty or none limits every client")
	timeout := envDefault("POLICYBOT_RATE_LIMIT_TIMEOUT", ratelimit.DefaultTimeout.String())
	d, err := time.ParseDuration(timeout)
	if err != nil || d <= 0 {
		errs = append(errs, fmt.Errorf("POLICYBOT_RATE_LIMIT_TIMEOUT=%q: want a positive duration such as 100ms", timeout))
	}
	fs.DurationVar(&l.Timeout, "rate-limit-timeout", d, "longest wait for Redis on a rate-limit decision before the replica decides alone (env POLICYBOT_RATE_LIMIT_TIMEOUT)")

	return func() error {
		if len(errs) > 0 {
			return errs[0]
		}
		for _, r := range []struct {
			name string
			rate
		}{{"address", l.Address}, {"user", l.User}, {"login", l.Login}, {"integrator", rate{c.IntegratorRate, c.IntegratorBurst}}} {
			if r.Rate > 0 && r.Burst == 0 {
				return fmt.Errorf("--%s-burst 0: want a positive burst, or --%s-rate 0 to turn the limit off", r.name, r.name)
			}
		}
		if l.Timeout <= 0 {
			return fmt.Errorf("--rate-limit-timeout %v: want a positive duration", l.Timeout)
		}
		return nil
	}
}

// parsePrefixes reads a comma-separated list of networks; a bare address
// is a network of its own. "" and "none" are the empty list.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	if s = strings.TrimSpace(s); s == "" || s == "none" {
		return nil, nil
	}
	var out []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("%q is neither a network such as 10.0.0.0/8 nor an address", f)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// api returns the limits as the HTTP layer takes them.
func (l limitsConfig) api() api.Limits {
	return api.Limits{
		Address: l.Address.limit(time.Minute),
		User:    l.User.limit(time.Minute),
		Login:   l.Login.limit(time.Minute),
		Exempt:  l.Exempt,
	}
}

// LogValue logs the limits in the words of their flags.
func (l limitsConfig) LogValue() slog.Value {
	prefixes := func(ps []netip.Prefix) string {
		s := make([]string, len(ps))
		for i, p := range ps {
			s[i] = p.String()
		}
		return strings.Join(s, ",")
	}
	return slog.GroupValue(
		slog.String("address", fmt.Sprintf("%d/min burst %d", l.Address.Rate, l.Address.Burst)),
		slog.String("user", fmt.Sprintf("%d/min burst %d", l.User.Rate, l.User.Burst)),
		slog.String("login", fmt.Sprintf("%d/min burst %d", l.Login.Rate, l.Login.Burst)),
		slog.String("trusted_proxies", prefixes(l.TrustedProxies)),
		slog.String("exempt", prefixes(l.Exempt)),
		slog.Duration("timeout", l.Timeout),
	)
}

// rateLimiter returns the one limiter of every limit. With Redis (rdb not
// nil) it is shared by the replicas, so that a client's budget is one
// across them, and falls back to each replica's memory when Redis fails or
// does not answer within timeout, so that an outage neither stops the API
// nor lets it go unlimited, nor holds a request longer than timeout.
// Without Redis it is the process's own, for one replica.
func rateLimiter(rdb redis.UniversalClient, timeout time.Duration, log *slog.Logger) (ratelimit.Limiter, error) {
	if rdb == nil {
		return ratelimit.NewMemory(time.Now), nil
	}
	shared, err := ratelimit.NewRedis(rdb, "policybot:")
	if err != nil {
		return nil, err
	}
	return ratelimit.NewFallback(shared, ratelimit.NewMemory(time.Now), ratelimit.FallbackOptions{
		Timeout: timeout,
		// Once per cool-down, not once per call, while Redis is down.
		OnFallback: func(err error) {
			if !errors.Is(err, ratelimit.ErrCoolingDown) {
				log.Warn("rate limit decided in memory", "err", err)
			}
		},
	}), nil
}
