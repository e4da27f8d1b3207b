//go:build !race

package main

// sqliteTickets is how many tickets the delivery tests file on SQLite.
const sqliteTickets = 1000
