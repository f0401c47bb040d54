package eventstore

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MasterKeyEnv is the environment variable that carries the operator's
// master key (32 bytes, standard base64).
const MasterKeyEnv = "FRISTAD_MASTER_KEY"

// MasterKeySource says where a master key came from; the development key is
// reported so the binary can warn loudly.
type MasterKeySource string

const (
	FromEnv     MasterKeySource = "environment"
	FromFile    MasterKeySource = "file"
	FromDevFile MasterKeySource = "development key in data dir"
)

// ErrNoMasterKey is a store opened with no master key given and
// development keys not allowed.
var ErrNoMasterKey = errors.New("no master key: set " + MasterKeyEnv + " or give a master key file (development keys only with --dev)")

// LoadMasterKey finds the master key that wraps every data key: the
// FRISTAD_MASTER_KEY environment variable, else file (when given), else,
// only when dev allows it, a development key in dataDir/keys/master.key,
// generated on first use. Without dev a missing key is ErrNoMasterKey:
// a production command must never fall back to a key stored next to the
// data it protects, nor write one.
func LoadMasterKey(file, dataDir string, dev bool) ([]byte, MasterKeySource, error) {
	if v := os.Getenv(MasterKeyEnv); v != "" {
		k, err := decodeKey(v)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", MasterKeyEnv, err)
		}
		return k, FromEnv, nil
	}
	if file != "" {
		k, err := readKeyFile(file)
		return k, FromFile, err
	}
	if !dev {
		return nil, "", ErrNoMasterKey
	}
	if dataDir == "" {
		return nil, "", errors.New("master key: none given and no data dir for a development key")
	}
	path := filepath.Join(dataDir, "keys", "master.key")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := writeDevKey(path); err != nil {
			return nil, "", err
		}
	}
	k, err := readKeyFile(path)
	return k, FromDevFile, err
}

func writeDevKey(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	return f.Sync()
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path) // #nosec G304 -- the operator names the key file
	if err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	k, err := decodeKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("master key file %s: %w", path, err)
	}
	return k, nil
}

func decodeKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("not base64")
	}
	if len(k) != 32 {
		return nil, fmt.Errorf("want 32 bytes, got %d", len(k))
	}
	return k, nil
}
