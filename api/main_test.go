package api_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"policybot/internal/apispec"
)

// TestMain fails a whole run of the package's tests in which some operation
// of api/openapi.yaml never had an answer checked against it: every route
// must be exercised through apispec's validating handler, so that the
// description cannot drift from what a route answers. A run narrowed by
// -run or -skip checks nothing of the kind.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == "" {
		spec, err := apispec.Load()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if missing := spec.Unchecked(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "no test checked an answer of these operations of api/openapi.yaml against it: %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}
