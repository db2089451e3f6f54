package wire

import "fmt"

// Code says why a relay refused a frame. The same numbers are used as
// WebSocket close codes (4000-4999 are reserved for applications) when the
// refusal ends the connection.
type Code int

// Codes. Those marked fatal close the connection.
const (
	CodeBadFrame             Code = 4000 // fatal: undecodable or unexpected frame
	CodeAuthFailed           Code = 4001 // fatal: login missing, late or not verifying
	CodeVersionUnsupported   Code = 4002 // fatal: the peer speaks another protocol version
	CodeRateLimited          Code = 4003 // a send over the limit; fatal for other frames
	CodeTooLarge             Code = 4004 // fatal: frame over MaxFrame
	CodeMailboxFull          Code = 4005 // the recipient's mailbox has no room
	CodeTooManySubscriptions Code = 4006 // subscriptions over the relay's limit
	CodeTooSlow              Code = 4007 // fatal: the client does not read fast enough
	CodeTooManyConnections   Code = 4008 // fatal: over the relay's connection limits (HTTP 429 or 503 at upgrade)
	CodeUnavailable          Code = 4009 // the relay does not offer what was asked (TURN off)
)

var codeNames = map[Code]string{
	CodeBadFrame:             "bad frame",
	CodeAuthFailed:           "auth failed",
	CodeVersionUnsupported:   "version unsupported",
	CodeRateLimited:          "rate limited",
	CodeTooLarge:             "too large",
	CodeMailboxFull:          "mailbox full",
	CodeTooManySubscriptions: "too many subscriptions",
	CodeTooSlow:              "too slow",
	CodeTooManyConnections:   "too many connections",
	CodeUnavailable:          "unavailable",
}

func (c Code) String() string {
	if name, ok := codeNames[c]; ok {
		return name
	}
	return fmt.Sprintf("code %d", int(c))
}

// Error is a refusal from the relay, or a protocol violation found while
// decoding. Compare with errors.Is against the Err* sentinels, which match
// any Error with the same Code.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code.String()
	}
	return e.Code.String() + ": " + e.Message
}

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels, one per Code.
var (
	ErrBadFrame             = &Error{Code: CodeBadFrame}
	ErrAuthFailed           = &Error{Code: CodeAuthFailed}
	ErrVersionUnsupported   = &Error{Code: CodeVersionUnsupported}
	ErrRateLimited          = &Error{Code: CodeRateLimited}
	ErrTooLarge             = &Error{Code: CodeTooLarge}
	ErrMailboxFull          = &Error{Code: CodeMailboxFull}
	ErrTooManySubscriptions = &Error{Code: CodeTooManySubscriptions}
	ErrTooSlow              = &Error{Code: CodeTooSlow}
	ErrTooManyConnections   = &Error{Code: CodeTooManyConnections}
	ErrUnavailable          = &Error{Code: CodeUnavailable}
)

// RefusalHeader is the HTTP header that carries the Code of a WebSocket
// upgrade the relay refuses before any frame (connection limits).
const RefusalHeader = "Porchlight-Refusal"

func badFrame(format string, args ...any) *Error {
	return &Error{Code: CodeBadFrame, Message: fmt.Sprintf(format, args...)}
}
