// Command shots renders each view of the Porchlight window, filled with
// sample data from an in-memory core, into PNG files. It draws with fyne's
// software renderer, so it needs neither a GPU nor a display:
//
//	go run ./ui/window/internal/shots [-scale 1.5] docs/screenshots
//
// The window is 800×560; -scale draws that many device pixels per unit, as
// a high-density display would (1 by default).
// It drives the window the way a person would: it types into entries and taps
// buttons, then waits for the result to appear before capturing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
	"github.com/porchlight/porchlight/ui/window/internal/uitest"
)

// shot is one picture: the view to show and what to do before capturing.
type shot struct {
	file  string
	view  string
	link  string
	core  func(*api.Status) // changes the sample resident before the window opens
	setup func(s *scene) error
}

// scene is the window being photographed, over its sample core.
type scene struct {
	app  *uitest.App
	w    *window.Window
	core *fake.Client
}

func main() {
	scale := flag.Float64("scale", 1, "device pixels per unit")
	flag.Parse()
	dir := "docs/screenshots"
	if flag.NArg() > 0 {
		dir = flag.Arg(0)
	}
	if err := run(dir, float32(*scale)); err != nil {
		fmt.Fprintln(os.Stderr, "shots:", err)
		os.Exit(1)
	}
}

func run(dir string, scale float32) error {
	// The Browse view saves into the resident's Downloads folder.
	os.Setenv("XDG_DOWNLOAD_DIR", "/home/ana/Downloads")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("make %s: %w", dir, err)
	}
	shots := []shot{
		{file: "home.png", view: window.ViewHome},
		{file: "first-run.png", view: window.ViewHome, core: firstRun, setup: waitFor("What should friends")},
		{file: "backup.png", view: window.ViewHome, setup: askBackup},
		{file: "restore.png", view: window.ViewHome, core: firstRun, setup: tapThen("Restore a backup…")},
		{file: "invite.png", view: window.ViewInvite, setup: createInvite},
		{file: "accept.png", view: window.ViewAccept, link: sampleLink, setup: waitFor("invites you")},
		{file: "share.png", view: window.ViewShare, link: "/home/ana/Music/Choir rehearsals", setup: chooseFriends("Mei Wong", "Sam Okafor")},
		{file: "friends.png", view: window.ViewFriends, setup: scrolledDown("Kitchen laptop")},
		{file: "neighbour.png", view: window.ViewFriends, setup: askNeighbour("Jonas Berg")},
		{file: "browse.png", view: window.ViewBrowse, link: "samokafor", setup: openShare("Garden photos")},
		{file: "transfers.png", view: window.ViewTransfers, setup: waitFor("bees-in-the-lavender.mov")},
	}
	for _, s := range shots {
		img, err := render(s, scale)
		if err != nil {
			return fmt.Errorf("render %s: %w", s.file, err)
		}
		if err := writePNG(filepath.Join(dir, s.file), img); err != nil {
			return err
		}
		fmt.Println("wrote", filepath.Join(dir, s.file))
	}
	return nil
}

func render(s shot, scale float32) (image.Image, error) {
	sc := &scene{app: uitest.Wrap(test.NewApp()), core: sampleCore()}
	if s.core != nil {
		sc.core.UpdateStatus(s.core)
	}
	sc.w = window.New(sc.app, sc.core)
	sc.app.Settings().SetTheme(lightTheme{sc.app.Settings().Theme()})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sc.w.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("load sample data: %w", err)
	}
	win := sc.w.Window()
	sc.app.UI(func() {
		win.Canvas().(test.WindowlessCanvas).SetScale(scale)
		win.Resize(fyne.NewSize(800, 560))
		sc.w.Show(s.view, s.link)
	})
	if s.setup != nil {
		if err := s.setup(sc); err != nil {
			return nil, err
		}
	}
	sc.w.Wait()
	var img image.Image
	sc.app.UI(func() {
		// The test canvas lays out only on resize; the real driver does
		// it whenever a minimum size changes.
		win.Resize(fyne.NewSize(801, 561))
		win.Resize(fyne.NewSize(800, 560))
		img = win.Canvas().Capture()
		win.Close()
	})
	return img, nil
}

// firstRun is a resident who has not chosen a name yet.
func firstRun(st *api.Status) {
	st.Name, st.NameChosen = "Neighbour 7QX4-K2MP", false
}

// createInvite types a label, taps Create and waits for the link.
func createInvite(s *scene) error {
	var err error
	s.app.UI(func() {
		root := s.w.Window().Content()
		entry := uitest.Find(root, func(e *widget.Entry) bool { return strings.HasPrefix(e.PlaceHolder, "Who") })
		button := uitest.Find(root, func(b *widget.Button) bool { return b.Text == "Create invitation" })
		if entry == nil || button == nil {
			err = errors.New("no label entry or Create button on the Invite view")
			return
		}
		test.Type(entry, "Sam next door")
		test.Tap(button)
	})
	if err != nil {
		return err
	}
	return waitFor("porchlight://")(s)
}

// askBackup opens Back up… and types a passphrase twice.
func askBackup(s *scene) error {
	var err error
	s.app.UI(func() {
		b := uitest.Find(s.w.Window().Content(), func(b *widget.Button) bool { return b.Text == "Back up…" })
		if b == nil {
			err = errors.New("no Back up… button on Home")
			return
		}
		test.Tap(b)
		top := s.w.Window().Canvas().Overlays().Top()
		if top == nil {
			err = errors.New("Back up… opened no dialog")
			return
		}
		uitest.Find(top, func(e *widget.Entry) bool { test.Type(e, "plum tree by the gate"); return false })
	})
	return err
}

// tapThen waits for a button labelled label and taps it.
func tapThen(label string) func(*scene) error {
	return func(s *scene) error {
		if err := waitFor(label)(s); err != nil {
			return err
		}
		var err error
		s.app.UI(func() {
			b := uitest.Find(s.w.Window().Content(), func(b *widget.Button) bool { return b.Text == label })
			if b == nil {
				err = fmt.Errorf("no %s button", label)
				return
			}
			test.Tap(b)
		})
		return err
	}
}

// askNeighbour asks a visible neighbour to be friends and waits for the
// code to compare.
func askNeighbour(name string) func(*scene) error {
	return func(s *scene) error {
		if err := waitFor(name)(s); err != nil {
			return err
		}
		var err error
		s.app.UI(func() {
			b := uitest.Find(s.w.Window().Content(), func(b *widget.Button) bool { return b.Text == "Ask to be friends" })
			if b == nil {
				err = errors.New("no Ask to be friends button on the Friends view")
				return
			}
			test.Tap(b)
		})
		if err != nil {
			return err
		}
		return waitForOverlay("screen shows")(s)
	}
}

// scrolledDown waits for text, then scrolls the view to its end.
func scrolledDown(text string) func(*scene) error {
	return func(s *scene) error {
		if err := waitFor(text)(s); err != nil {
			return err
		}
		s.app.UI(func() {
			win := s.w.Window()
			win.Resize(fyne.NewSize(801, 561)) // lay out, so the scroll knows its content
			win.Resize(fyne.NewSize(800, 560))
			if sc := uitest.Find(win.Content(), func(*container.Scroll) bool { return true }); sc != nil {
				sc.ScrollToBottom()
			}
		})
		return nil
	}
}

// waitForOverlay waits until the top dialog's text contains text.
func waitForOverlay(text string) func(*scene) error {
	return func(s *scene) error {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			var found bool
			s.app.UI(func() {
				top := s.w.Window().Canvas().Overlays().Top()
				found = top != nil && strings.Contains(uitest.Text(top), text)
			})
			if found {
				return nil
			}
			time.Sleep(20 * time.Millisecond)
		}
		return fmt.Errorf("no dialog with %q", text)
	}
}

// chooseFriends shares with the named friends only, read and write.
func chooseFriends(names ...string) func(*scene) error {
	return func(s *scene) error {
		var err error
		s.app.UI(func() {
			root := s.w.Window().Content()
			who := uitest.Find(root, func(r *widget.RadioGroup) bool { return slices.Contains(r.Options, "Only the friends I choose") })
			how := uitest.Find(root, func(r *widget.RadioGroup) bool { return len(r.Options) == 3 })
			if who == nil || how == nil {
				err = errors.New("no Who or How choice on the Share view")
				return
			}
			who.SetSelected("Only the friends I choose")
			how.SetSelected(how.Options[1])
		})
		if err != nil {
			return err
		}
		if err := waitFor(names[0])(s); err != nil {
			return err
		}
		s.app.UI(func() {
			for _, n := range names {
				if c := uitest.Find(s.w.Window().Content(), func(c *widget.Check) bool { return c.Text == n }); c != nil {
					c.SetChecked(true)
				}
			}
		})
		return nil
	}
}

// openShare picks a share in the Browse view and waits for its listing.
func openShare(name string) func(*scene) error {
	return func(s *scene) error {
		var pick *widget.Select
		deadline := time.Now().Add(5 * time.Second)
		for pick == nil || len(pick.Options) == 0 {
			if time.Now().After(deadline) {
				return errors.New("the Browse view offers no shares")
			}
			time.Sleep(20 * time.Millisecond)
			s.app.UI(func() {
				pick = uitest.Find(s.w.Window().Content(), func(sel *widget.Select) bool { return sel.PlaceHolder == "Choose a share" })
			})
		}
		s.app.UI(func() { pick.SetSelected(name) })
		return waitFor("items")(s)
	}
}

// waitFor waits until some visible text contains text.
func waitFor(text string) func(*scene) error {
	return func(s *scene) error {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			var found bool
			s.app.UI(func() { found = strings.Contains(uitest.Text(s.w.Window().Content()), text) })
			if found {
				return nil
			}
			time.Sleep(20 * time.Millisecond)
		}
		return fmt.Errorf("%q never appeared", text)
	}
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write screenshot: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// lightTheme pins a theme to its light variant; the test app otherwise
// reports no preference.
type lightTheme struct{ fyne.Theme }

func (t lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
