//go:build !race

package complaints_test

// sqliteTickets is how many tickets the delivery tests file on SQLite.
const sqliteTickets = 1000
