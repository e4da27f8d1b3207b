//go:build race

package main

// sqliteTickets is how many tickets the delivery tests file on SQLite.
// Under the race detector SQLite, which is Go translated from C with its
// every pointer checked, writes about ten times slower, and 1,000 tickets
// would take half a minute on two cores.
const sqliteTickets = 300
