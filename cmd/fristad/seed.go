package main

import "context"

func runSeed(ctx context.Context, env *cliEnv, args []string) error {
	return usageError{"not yet"}
}
