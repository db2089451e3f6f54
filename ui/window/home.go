package window

import (
	"cmp"
	"context"
	"fmt"
	"image/color"
	"net/url"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// homeView shows who you are, the porch light, your relays, your friends and
// your shares.
type homeView struct {
	light    *porchLight
	name     *widget.Label
	id       *widget.RichText
	state    *widget.Label
	problems *widget.Label
	relays   *fyne.Container
	addRelay *widget.Entry
	friends  *fyne.Container
	shares   *fyne.Container
	content  fyne.CanvasObject

	// Choosing a name: asked on first run, and whenever Rename is tapped.
	current   string // the name the core last reported
	nameAsked bool   // the first-run question was shown once
	nameEntry *widget.Entry
	nameNote  *widget.Label
	nameBox   *fyne.Container
	rename    *widget.Button
}

func newHomeView(w *Window) *homeView {
	h := &homeView{
		light:    newPorchLight(),
		name:     heading("Porchlight"),
		id:       caption(""),
		state:    note(lightSentence("")),
		problems: note(""),
		relays:   container.NewVBox(),
		friends:  container.NewVBox(),
		shares:   container.NewVBox(),
	}
	h.problems.Importance = widget.WarningImportance
	h.problems.Hide()
	h.setFriends(nil)
	h.setShares(nil)
	h.relays.Add(caption("…"))

	h.rename = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() {
		h.nameEntry.SetText(h.current)
		h.nameNote.Hide()
		h.nameBox.Show()
	})
	h.rename.Importance = widget.LowImportance
	who := container.NewVBox(
		container.NewHBox(h.name, h.rename, container.NewVBox(layout.NewSpacer(), h.id)),
		h.state, h.problems, h.newNameBox(w))
	backup := widget.NewButtonWithIcon("Back up…", theme.DocumentSaveIcon(), w.askBackup)
	backup.Importance = widget.LowImportance
	header := widget.NewCard("", "", container.NewBorder(nil, nil, h.light.content, container.NewVBox(backup), who))
	h.addRelay = widget.NewEntry()
	h.addRelay.SetPlaceHolder("wss://relay.example.org/v1/ws")
	add := widget.NewButton("Add relay", func() {
		url := h.addRelay.Text
		w.call(func(ctx context.Context) {
			err := w.client.AddRelay(ctx, url)
			w.lost(err)
			fyne.Do(func() {
				if err != nil {
					h.problems.SetText(errorMessage("Could not add the relay", err))
					h.problems.Show()
					return
				}
				h.addRelay.SetText("")
			})
		})
	})
	relays := container.NewVBox(h.relays, container.NewBorder(nil, nil, nil, add, h.addRelay))
	right := container.NewVBox(panel("Relays", relays), panel("Your shares", h.shares))
	body := container.NewGridWithColumns(2, container.NewVBox(panel("Friends", h.friends)), right)
	h.content = container.NewPadded(container.NewBorder(header, nil, nil, nil, container.NewVScroll(body)))
	return h
}

// newNameBox builds the question "what should friends call you?", hidden
// until it is asked.
func (h *homeView) newNameBox(w *Window) fyne.CanvasObject {
	h.nameEntry = widget.NewEntry()
	h.nameEntry.SetPlaceHolder("Your name, e.g. Ana Lima")
	h.nameNote = warning()
	save := widget.NewButton("Save name", func() { h.saveName(w) })
	save.Importance = widget.HighImportance
	later := widget.NewButton("Not now", func() { h.nameBox.Hide() })
	restore := widget.NewButtonWithIcon("Restore a backup…", theme.HistoryIcon(), w.askRestore)
	restore.Importance = widget.LowImportance
	h.nameEntry.OnSubmitted = func(string) { h.saveName(w) }
	h.nameBox = container.NewVBox(
		widget.NewLabel("What should friends and neighbours call you?"),
		container.NewBorder(nil, nil, nil, container.NewHBox(later, save), h.nameEntry),
		caption("New friends see this name when you invite them. Friends you have already keep the name they know you by."),
		h.nameNote,
		container.NewHBox(widget.NewLabel("Moving from another computer?"), restore),
	)
	h.nameBox.Hide()
	return h.nameBox
}

// saveName asks the core to take the name typed; a refusal is shown under
// the question, which stays open.
func (h *homeView) saveName(w *Window) {
	name := strings.TrimSpace(h.nameEntry.Text)
	if name == "" {
		h.nameNote.SetText("Type the name friends should see.")
		h.nameNote.Show()
		return
	}
	w.call(func(ctx context.Context) {
		err := w.client.UpdateSettings(ctx, api.Settings{Name: name})
		w.lost(err)
		fyne.Do(func() {
			if err != nil {
				h.nameNote.SetText(errorMessage("Could not change your name", err))
				h.nameNote.Show()
				return
			}
			h.nameNote.Hide()
			h.nameBox.Hide()
		})
	})
}

func (h *homeView) setStatus(s api.Status) {
	h.current = s.Name
	if !s.NameChosen && !h.nameAsked && s.ID != "" {
		h.nameAsked = true
		h.nameBox.Show()
	}
	h.light.set(s.State)
	h.name.SetText(cmp.Or(s.Name, "Porchlight"))
	setCaption(h.id, "ID "+s.ShortID)
	h.state.SetText(lightSentence(s.State))
	if len(s.Problems) > 0 {
		h.problems.SetText(strings.Join(s.Problems, "\n"))
		h.problems.Show()
	} else {
		h.problems.Hide()
	}
	rows := make([]fyne.CanvasObject, 0, len(s.Relays))
	for _, r := range s.Relays {
		rows = append(rows, relayRow(r))
	}
	if len(rows) == 0 {
		rows = append(rows, note("No relays: only neighbours on this network can reach you."))
	}
	setRows(h.relays, rows)
}

func (h *homeView) setFriends(fs []api.Friend) {
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b api.Friend) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	rows := make([]fyne.CanvasObject, 0, len(fs))
	for _, f := range fs {
		rows = append(rows, friendRow(f))
	}
	if len(rows) == 0 {
		rows = append(rows, note("No friends yet. Invite someone from the Invite tab."))
	}
	setRows(h.friends, rows)
}

func (h *homeView) setShares(ss []api.Share) {
	rows := make([]fyne.CanvasObject, 0, len(ss))
	for _, s := range ss {
		rows = append(rows, shareRow(s))
	}
	if len(rows) == 0 {
		rows = append(rows, note("Nothing shared yet. Share a folder from the Share tab."))
	}
	setRows(h.shares, rows)
}

func setRows(c *fyne.Container, rows []fyne.CanvasObject) {
	c.Objects = rows
	c.Refresh()
}

func friendRow(f api.Friend) fyne.CanvasObject {
	state, c := linkState(f.Link)
	return container.NewBorder(nil, nil, dot(c), nil, itemText(f.Name, fmt.Sprintf("ID %s · %s", f.ShortID, state)))
}

// linkState says how a friend is connected, in words and as a colour.
func linkState(link string) (string, color.Color) {
	switch link {
	case "lan":
		return "connected on this network", colorGood
	case "direct":
		return "connected directly", colorGood
	case "relayed":
		return "connected through a relay", colorFair
	default:
		return "not connected", colorNone
	}
}

func relayRow(r api.RelayStatus) fyne.CanvasObject {
	state, c := "offline", colorBad
	if r.State == "online" {
		state, c = "online", colorGood
		if r.RTTMillis > 0 {
			state = fmt.Sprintf("online · %d ms", r.RTTMillis)
		}
	}
	host := widget.NewRichText(&widget.TextSegment{Text: relayHost(r.URL), Style: widget.RichTextStyleInline})
	if r.Error != "" && r.State != "online" {
		host.Segments = []widget.RichTextSegment{
			&widget.TextSegment{Text: relayHost(r.URL)},
			&widget.TextSegment{Text: r.Error, Style: captionStyle},
		}
	}
	host.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, dot(c), container.NewCenter(caption(state)), host)
}

// relayHost shortens a relay URL to what a person recognises.
func relayHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return u.Host + strings.TrimSuffix(u.Path, "/")
}

func shareRow(s api.Share) fyne.CanvasObject {
	detail := fmt.Sprintf("%s · %s · %s", whoWords(s), modeWords(s.Mode), s.Path)
	if s.Paused {
		detail = "Paused · " + detail
	}
	return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, itemText(s.Name, detail))
}

func audienceWords(a string) string {
	switch a {
	case "friends":
		return "all friends"
	case "chosen":
		return "chosen friends"
	case "neighbours":
		return "friends on this network"
	default:
		return a
	}
}

// whoWords says who a share is for: all friends, or the chosen ones by name.
func whoWords(s api.Share) string {
	switch {
	case s.Audience != "chosen" || len(s.Friends) == 0:
		return audienceWords(s.Audience)
	case len(s.Friends) == 1:
		return s.Friends[0]
	case len(s.Friends) <= 3:
		return strings.Join(s.Friends[:len(s.Friends)-1], ", ") + " and " + s.Friends[len(s.Friends)-1]
	default:
		return fmt.Sprintf("%s, %s and %d others", s.Friends[0], s.Friends[1], len(s.Friends)-2)
	}
}

func modeWords(m string) string {
	switch m {
	case "ro":
		return "read-only"
	case "rw":
		return "read and write"
	case "drop":
		return "drop box"
	default:
		return m
	}
}
