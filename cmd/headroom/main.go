// Command headroom finds and fixes the capacity bottlenecks in the
// deployment files of Python web backends.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
