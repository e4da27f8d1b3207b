package store_test

import (
	"testing"

	"policybot/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, storetest.SQLite)
}

func TestPostgres(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.Run(t, storetest.Postgres)
}
