package main

import (
	"fmt"
	"os"
	"strings"
)

// secretFileVars are the environment variables that hold secrets (URLs with
// passwords, tokens), each with its _FILE form: the path of a file that
// holds the value, such as a Kubernetes Secret or a Docker secret mounted
// as a file, which keeps the secret out of the process's environment and
// of what shows it (docker inspect, a crash report, child processes). The
// master key has its own pair, POLICYBOT_MASTER_KEY and
// POLICYBOT_MASTER_KEY_FILE (loadMasterKey).
var secretFileVars = []struct{ name, file string }{
	{"DATABASE_URL", "DATABASE_URL_FILE"},
	{"REDIS_URL", "REDIS_URL_FILE"},
	{"POLICYBOT_ADMIN_TOKEN", "POLICYBOT_ADMIN_TOKEN_FILE"},
	{"POLICYBOT_WECHAT_SECRET", "POLICYBOT_WECHAT_SECRET_FILE"},
}

// secretFiles returns getenv with each variable of secretFileVars whose
// _FILE form is set read from that file, without the line ending a file
// written by echo or an editor has. A variable set both ways, an unreadable
// file and an empty one are errors that name the variables.
func secretFiles(getenv envReader) (envReader, error) {
	values := map[string]string{}
	for _, v := range secretFileVars {
		path := getenv(v.file)
		if path == "" {
			continue
		}
		if getenv(v.name) != "" {
			return nil, fmt.Errorf("both %s and %s are set: set one", v.name, v.file)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.file, err)
		}
		value := strings.TrimRight(string(raw), "\r\n")
		if value == "" {
			return nil, fmt.Errorf("%s=%s: the file is empty", v.file, path)
		}
		values[v.name] = value
	}
	if len(values) == 0 {
		return getenv, nil
	}
	return func(name string) string {
		if v, ok := values[name]; ok {
			return v
		}
		return getenv(name)
	}, nil
}
