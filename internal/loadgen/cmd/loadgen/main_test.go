package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/internal/loadgen"
)

func TestRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	var out, errb bytes.Buffer
	if code := run([]string{"-c", "2", "-warmup", "0s", "-d", "100ms", "-json", srv.URL}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res loadgen.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if res.Requests == 0 || res.Errors != 0 {
		t.Errorf("%+v", res)
	}

	out.Reset()
	errb.Reset()
	if code := run([]string{"-d", "100ms", "http://192.0.2.1/"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "not a loopback address") {
		t.Errorf("non-loopback target: exit %d, %q", code, errb.String())
	}
	if code := run(nil, &out, &errb); code != 2 {
		t.Errorf("no URL: exit %d, want 2", code)
	}
}
