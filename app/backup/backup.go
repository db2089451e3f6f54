// Package backup seals a resident's backup (their identity key, friends and settings, as
// the caller serialises them) into one file only their passphrase opens, and opens it again.
//
// # File format, version 1
//
// All integers are big-endian and fixed-width.
//
//	offset  size  field
//	     0    18  magic: the ASCII line "PORCHLIGHT-BACKUP\n"
//	    18     1  format version: 1
//	    19     4  Argon2id time (passes over memory)
//	    23     4  Argon2id memory, in KiB
//	    27     1  Argon2id threads
//	    28    16  salt, fresh random bytes for every file
//	    44    24  nonce, fresh random bytes for every file
//	    68     …  XChaCha20-Poly1305 ciphertext of the plaintext, ending in its 16-byte tag
//
// The 32-byte key is Argon2id(passphrase, salt, time, memory, threads). New files use
// time 3, 64 MiB and 2 threads. The parameters travel in the file so that a later
// Porchlight can make them stronger and still open older backups.
//
// The whole 68-byte header, magic through nonce, is the AEAD's additional data. So
// changing any byte of the header, the KDF parameters included, makes the file fail to
// open instead of opening to something else.
package backup

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Errors Open returns (wrapped or bare; callers use errors.Is).
var (
	ErrNotBackup       = errors.New("not a Porchlight backup")
	ErrVersion         = errors.New("backup format not known to this Porchlight")
	ErrWrongPassphrase = errors.New("wrong passphrase, or the backup file was altered")
)

// MinPassphrase is the fewest characters (runes) Seal accepts.
const MinPassphrase = 10

const (
	magic   = "PORCHLIGHT-BACKUP\n"
	version = 1

	versionAt = len(magic)
	paramsAt  = versionAt + 1
	saltAt    = paramsAt + 4 + 4 + 1
	nonceAt   = saltAt + 16
	headerLen = nonceAt + chacha20poly1305.NonceSizeX
)

// params are the Argon2id costs of turning a passphrase into a key.
type params struct {
	time      uint32
	memoryKiB uint32
	threads   uint8
}

// kdf is what Seal writes into new backups. It is a variable only so that tests can
// make the KDF cheap; nothing else changes it.
var kdf = params{time: 3, memoryKiB: 64 * 1024, threads: 2}

// limits caps the costs Open accepts from a file. The file is not authenticated until
// after the KDF has run, so without a cap a hostile file could make Open spend
// gigabytes of memory or minutes of CPU. Tests lower it to keep fuzzing fast.
var limits = params{time: 20, memoryKiB: 1 << 20, threads: 16}

// check refuses costs that no Porchlight writes, before any work is done with them.
func (p params) check() error {
	switch {
	case p.time < 1 || p.time > limits.time:
		return fmt.Errorf("%w: argon2 time %d is outside 1..%d", ErrNotBackup, p.time, limits.time)
	case p.threads < 1 || p.threads > limits.threads:
		return fmt.Errorf("%w: argon2 threads %d is outside 1..%d", ErrNotBackup, p.threads, limits.threads)
	case p.memoryKiB < 8*uint32(p.threads) || p.memoryKiB > limits.memoryKiB:
		// Argon2 needs at least 8 KiB per thread; below that it would silently use
		// more than the file says, so such a file was not written by Seal.
		return fmt.Errorf("%w: argon2 memory %d KiB is outside %d..%d", ErrNotBackup,
			p.memoryKiB, 8*uint32(p.threads), limits.memoryKiB)
	}
	return nil
}

// aead derives the key from the passphrase and returns the cipher it keys.
func (p params) aead(passphrase string, salt []byte) (cipher.AEAD, error) {
	key := argon2.IDKey([]byte(passphrase), salt, p.time, p.memoryKiB, p.threads, chacha20poly1305.KeySize)
	defer clear(key)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("backup: cipher: %w", err)
	}
	return aead, nil
}

// Seal encrypts plaintext under passphrase. It refuses a passphrase shorter than
// MinPassphrase runes with an error saying so.
func Seal(passphrase string, plaintext []byte) ([]byte, error) {
	// A backup may sit on a USB stick or in a cloud folder for years, and anyone who
	// copies it can guess passphrases offline; a short one would not hold out.
	if n := utf8.RuneCountInString(passphrase); n < MinPassphrase {
		return nil, fmt.Errorf("backup: passphrase is %d characters long; it must be at least %d", n, MinPassphrase)
	}

	// A fresh salt means the same passphrase gives a different key in every file; a
	// fresh 24-byte nonce is safe to pick at random without ever repeating.
	random := make([]byte, headerLen-saltAt)
	if _, err := rand.Read(random); err != nil {
		return nil, fmt.Errorf("backup: random salt and nonce: %w", err)
	}
	return seal(kdf, passphrase, plaintext, random[:nonceAt-saltAt], random[nonceAt-saltAt:])
}

// seal does Seal's work with a given salt and nonce; tests call it directly when they
// need the same file in every process.
func seal(p params, passphrase string, plaintext, salt, nonce []byte) ([]byte, error) {
	header := make([]byte, saltAt, headerLen)
	copy(header, magic)
	header[versionAt] = version
	binary.BigEndian.PutUint32(header[paramsAt:], p.time)
	binary.BigEndian.PutUint32(header[paramsAt+4:], p.memoryKiB)
	header[paramsAt+8] = p.threads
	header = append(header, salt...)
	header = append(header, nonce...)
	if len(header) != headerLen {
		return nil, fmt.Errorf("backup: salt and nonce are %d and %d bytes", len(salt), len(nonce))
	}

	aead, err := p.aead(passphrase, salt)
	if err != nil {
		return nil, err
	}
	// The output starts as a copy of the header because the AEAD must not write into
	// the memory holding its additional data.
	out := make([]byte, headerLen, headerLen+len(plaintext)+aead.Overhead())
	copy(out, header)
	return aead.Seal(out, nonce, plaintext, header), nil
}

// Open decrypts what Seal made.
func Open(passphrase string, sealed []byte) ([]byte, error) {
	if len(sealed) <= versionAt || string(sealed[:versionAt]) != magic {
		return nil, fmt.Errorf("%w: the file does not start with the backup header", ErrNotBackup)
	}
	// The version comes before the length check: a newer format may be laid out
	// differently, and "update Porchlight" is the more useful thing to hear.
	if v := sealed[versionAt]; v != version {
		return nil, fmt.Errorf("%w: format version %d, this Porchlight reads version %d", ErrVersion, v, version)
	}
	if len(sealed) < headerLen+chacha20poly1305.Overhead {
		return nil, fmt.Errorf("%w: only %d bytes, the file is cut short", ErrNotBackup, len(sealed))
	}

	header, ciphertext := sealed[:headerLen], sealed[headerLen:]
	p := params{
		time:      binary.BigEndian.Uint32(header[paramsAt:]),
		memoryKiB: binary.BigEndian.Uint32(header[paramsAt+4:]),
		threads:   header[paramsAt+8],
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	aead, err := p.aead(passphrase, header[saltAt:nonceAt])
	if err != nil {
		return nil, err
	}
	plaintext, err := aead.Open(nil, header[nonceAt:], ciphertext, header)
	if err != nil {
		// The AEAD cannot tell a wrong passphrase from an altered file, so neither can we.
		return nil, ErrWrongPassphrase
	}
	return plaintext, nil
}
