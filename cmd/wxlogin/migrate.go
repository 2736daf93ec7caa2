package main

import (
	"context"
	"fmt"

	"github.com/wxlogin/wxlogin/internal/config"
	"github.com/wxlogin/wxlogin/internal/store"
)

func runMigrate(ctx context.Context, env *environment, args []string) error {
	if len(args) != 1 || (args[0] != "up" && args[0] != "down" && args[0] != "status") {
		return fmt.Errorf("usage: wxlogin migrate up|down|status")
	}
	cfg, err := config.Load(env.lookupEnv)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "up":
		return db.MigrateUp(ctx, env.stdout)
	case "down":
		return db.MigrateDown(ctx, env.stdout)
	}
	return db.MigrationStatus(ctx, env.stdout)
}
