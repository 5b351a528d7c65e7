// Package trust holds the tests behind the promises of the README's "What
// headroom promises": fixes never break a file nor what its author wrote,
// headroom never runs code nor reaches outside the tree, and it never
// crashes on what it reads. It has no code of its own; its tests link every
// rule through rules/all.
package trust
