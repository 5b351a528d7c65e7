package driver

// Check exposes the runner's raw findings (before merging and
// suppressions) to the tests that guard against duplicates.
var Check = check
