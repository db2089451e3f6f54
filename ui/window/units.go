package window

import (
	"fmt"
	"time"
)

// humanSize says how big n bytes is, the way file managers do (1 kB =
// 1000 bytes).
func humanSize(n int64) string {
	if n < 1000 {
		if n == 1 {
			return "1 byte"
		}
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"kB", "MB", "GB", "TB", "PB"}
	v := float64(n) / 1000
	i := 0
	for v >= 999.5 && i < len(units)-1 {
		v /= 1000
		i++
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

// humanRate is a speed in bytes per second.
func humanRate(bps int64) string { return humanSize(bps) + "/s" }

// timeLeft says roughly how long the rest of size takes at rate, or "" when
// it cannot be known.
func timeLeft(done, size, rate int64) string {
	if size < 0 || rate <= 0 || done >= size {
		return ""
	}
	d := time.Duration(float64(size-done) / float64(rate) * float64(time.Second))
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s left", max(1, int(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%d min left", int(d.Round(time.Minute).Minutes()))
	default:
		return fmt.Sprintf("%d h %d min left", int(d.Hours()), int(d.Minutes())%60)
	}
}

// modifiedDate is when a file changed: the time today, the day this year,
// the full date before.
func modifiedDate(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	t, now = t.Local(), now.Local()
	switch {
	case t.YearDay() == now.YearDay() && t.Year() == now.Year():
		return "Today " + t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("2 Jan 15:04")
	default:
		return t.Format("2 Jan 2006")
	}
}
