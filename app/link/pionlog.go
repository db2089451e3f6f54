package link

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// levelTrace is where pion's per-packet trace messages go: below debug, so
// they cost nothing unless a handler asks for them.
const levelTrace = slog.LevelDebug - 4

// pionLogs routes pion's logs into slog. pion's messages are about its
// internals, so all of them go to debug level (trace below it); the level
// pion chose is kept as an attribute.
type pionLogs struct {
	log *slog.Logger
}

var _ logging.LoggerFactory = pionLogs{}

// NewLogger returns the logger for one pion subsystem (ice, dtls, sctp, ...).
func (f pionLogs) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{log: f.log.With("pion", scope)}
}

type pionLogger struct {
	log *slog.Logger
}

func (p pionLogger) emit(level slog.Level, pionLevel, msg string) {
	p.log.Log(context.Background(), level, msg, "pion_level", pionLevel)
}

func (p pionLogger) emitf(level slog.Level, pionLevel, format string, args []any) {
	if !p.log.Enabled(context.Background(), level) {
		return
	}
	p.emit(level, pionLevel, fmt.Sprintf(format, args...))
}

func (p pionLogger) Trace(msg string) { p.emit(levelTrace, "trace", msg) }
func (p pionLogger) Debug(msg string) { p.emit(slog.LevelDebug, "debug", msg) }
func (p pionLogger) Info(msg string)  { p.emit(slog.LevelDebug, "info", msg) }
func (p pionLogger) Warn(msg string)  { p.emit(slog.LevelDebug, "warn", msg) }
func (p pionLogger) Error(msg string) { p.emit(slog.LevelDebug, "error", msg) }

func (p pionLogger) Tracef(format string, args ...any) { p.emitf(levelTrace, "trace", format, args) }
func (p pionLogger) Debugf(format string, args ...any) {
	p.emitf(slog.LevelDebug, "debug", format, args)
}
func (p pionLogger) Infof(format string, args ...any) { p.emitf(slog.LevelDebug, "info", format, args) }
func (p pionLogger) Warnf(format string, args ...any) { p.emitf(slog.LevelDebug, "warn", format, args) }
func (p pionLogger) Errorf(format string, args ...any) {
	p.emitf(slog.LevelDebug, "error", format, args)
}
