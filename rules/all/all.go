// Package all links every rule package into the binary; each registers its
// rules from init.
package all
