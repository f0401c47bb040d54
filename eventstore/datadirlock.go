package eventstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrDataDirInUse is a data directory whose store another process has
// open: a running `fristad serve`, or another command.
var ErrDataDirInUse = errors.New("the data dir is in use by another fristad process (stop it, or reach its store with --nats-url after serve --nats-listen)")

// lockFile is the file in a data dir that the process owning its store
// holds locked.
const lockFile = "fristad.lock"

// lockDataDir takes an exclusive lock on dir for as long as the returned
// file stays open. nats-server does not lock its store directory, and a
// second server on the same files (`fristad report --data-dir` beside a
// running serve, say) would recover, rewrite and append to them under the
// first one. The operating system releases the lock when the process
// ends, however it ends, so a killed server restarts without help.
func lockDataDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o600) // #nosec G304 -- the operator's data dir
	if err != nil {
		return nil, fmt.Errorf("embedded nats: lock the data dir: %w", err)
	}
	// #nosec G115 -- a file descriptor fits an int
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrDataDirInUse
		}
		return nil, fmt.Errorf("embedded nats: lock the data dir: %w", err)
	}
	return f, nil
}
