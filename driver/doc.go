// Package driver runs rules over deployments and applies their fixes: the
// runner (every rule on every file of its kind, in parallel), the project's
// settings (targets, severities, ignores), suppression comments and the
// rules about them (HR001, HR002), de-duplication of findings, the
// fixed-point fix loop, and atomic writes. cmd/headroom calls it; it sits
// above rules (the vocabulary and the checks) and edit (the byte edits).
package driver
