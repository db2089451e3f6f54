// Package window is Porchlight's desktop window, built with fyne. It is only
// a client of the local API (app/api): it reads state through Client, follows
// the event stream to stay current, and never imports the core.
//
// Widgets are changed on fyne's goroutine only: event handlers run there, and
// work done on other goroutines hands its results back through fyne.Do.
package window

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// Client is the part of the local API the window uses; *api.Client
// satisfies it.
type Client interface {
	Status(ctx context.Context) (api.Status, error)
	Friends(ctx context.Context) ([]api.Friend, error)
	Shares(ctx context.Context) ([]api.Share, error)
	CreateInvite(ctx context.Context, req api.NewInvite) (api.Invite, error)
	Invites(ctx context.Context) ([]api.Invite, error)
	RevokeInvite(ctx context.Context, id string) error
	Newcomers(ctx context.Context) ([]api.Newcomer, error)
	AnswerNewcomer(ctx context.Context, id string, admit bool) (api.Newcomer, error)
	InspectInvite(ctx context.Context, link string) (api.InviteInfo, error)
	Accept(ctx context.Context, link string) (api.Join, error)
	AcceptCode(ctx context.Context, code string) (api.Join, error)
	Joins(ctx context.Context) ([]api.Join, error)
	AddShare(ctx context.Context, req api.NewShare) (api.Share, error)
	UpdateShare(ctx context.Context, name string, u api.ShareUpdate) (api.Share, error)
	RemoveShare(ctx context.Context, name string) error
	RemoveFriend(ctx context.Context, friend string) error
	RenameFriend(ctx context.Context, friend, name string) (api.Friend, error)
	Neighbours(ctx context.Context) ([]api.Neighbour, error)
	RequestNeighbour(ctx context.Context, neighbour string) (api.Request, error)
	Requests(ctx context.Context) ([]api.Request, error)
	AnswerRequest(ctx context.Context, id string, confirm bool) (api.Request, error)
	UpdateSettings(ctx context.Context, s api.Settings) error
	ExportBackup(ctx context.Context, passphrase string) (api.Backup, error)
	RestoreBackup(ctx context.Context, passphrase string, data []byte) (api.Restored, error)
	AddRelay(ctx context.Context, url string) error
	RemoteShares(ctx context.Context, friend string) ([]api.RemoteShare, error)
	List(ctx context.Context, friend, share, path string, offset, limit int) (api.Listing, error)
	StartTransfer(ctx context.Context, req api.NewTransfer) (api.Transfer, error)
	StartUpload(ctx context.Context, req api.NewUpload) (api.Transfer, error)
	Transfers(ctx context.Context) ([]api.Transfer, error)
	PauseTransfer(ctx context.Context, id string) (api.Transfer, error)
	ResumeTransfer(ctx context.Context, id string) (api.Transfer, error)
	CancelTransfer(ctx context.Context, id string) (api.Transfer, error)
	Events(ctx context.Context, fn func(api.Event) error) error
}

var _ Client = (*api.Client)(nil)

// The views Show can switch to.
const (
	ViewHome      = "home"
	ViewInvite    = "invite"
	ViewAccept    = "accept"
	ViewShare     = "share"
	ViewFriends   = "friends"
	ViewBrowse    = "browse"
	ViewTransfers = "transfers"
)

// AppID is the application ID the window runs under.
const AppID = "org.porchlight.Porchlight"

// callTimeout bounds one call to the local API made for the user.
const callTimeout = 15 * time.Second

// codeTimeout bounds joining by a short code, which the core may take up
// to 30 seconds to answer.
const codeTimeout = 45 * time.Second

// Window is the Porchlight window: Home, Friends, Browse, Transfers, Share,
// Invite and Accept views over one Client.
type Window struct {
	app    fyne.App
	win    fyne.Window
	client Client
	log    *slog.Logger
	ctx    context.Context
	retry  chan struct{}
	busy   sync.WaitGroup // the goroutines of Start and call

	tabs    *container.AppTabs // the navigation
	tabFor  map[string]*container.TabItem
	views   map[string]fyne.CanvasObject // each view's content, by name
	main    fyne.CanvasObject
	offline *offlineView
	banner  *banner

	home      *homeView
	invite    *inviteView
	accept    *acceptView
	share     *shareView
	friends   *friendsView
	browse    *browseView
	transfers *transfersView
}

// Option changes how New builds a Window.
type Option func(*Window)

// WithLogger sends the window's diagnostics to l; by default they are
// discarded.
func WithLogger(l *slog.Logger) Option {
	return func(w *Window) { w.log = l }
}

// New builds the window on app over c. It does not talk to c until Start.
func New(app fyne.App, c Client, opts ...Option) *Window {
	w := &Window{
		app:    app,
		client: c,
		log:    slog.New(slog.DiscardHandler),
		ctx:    context.Background(),
		retry:  make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(w)
	}
	app.Settings().SetTheme(newPorchTheme())
	w.win = app.NewWindow("Porchlight")
	w.home = newHomeView(w)
	w.invite = newInviteView(w)
	w.accept = newAcceptView(w)
	w.share = newShareView(w)
	w.friends = newFriendsView(w)
	w.browse = newBrowseView(w)
	w.transfers = newTransfersView(w)
	w.offline = newOfflineView(w)
	w.banner = newBanner()

	w.views = map[string]fyne.CanvasObject{
		ViewHome: w.home.content, ViewFriends: w.friends.content, ViewBrowse: w.browse.content, ViewTransfers: w.transfers.content,
		ViewShare: w.share.content, ViewInvite: w.invite.content, ViewAccept: w.accept.content,
	}
	w.tabFor = map[string]*container.TabItem{
		ViewHome:      navItem("Home", theme.HomeIcon()),
		ViewFriends:   navItem("Friends", theme.AccountIcon()),
		ViewBrowse:    navItem("Browse", theme.SearchIcon()),
		ViewTransfers: navItem(transfersTitle, theme.DownloadIcon()),
		ViewShare:     navItem("Share", theme.FolderOpenIcon()),
		ViewInvite:    navItem("Invite", theme.ContentAddIcon()),
		ViewAccept:    navItem("Accept", theme.MailReplyIcon()),
	}
	w.main = container.NewBorder(w.banner.content, nil, w.newNav(), nil, w.newViewStack())
	w.offline.content.Hide()
	w.win.SetContent(container.NewStack(w.main, w.offline.content))
	w.win.Resize(fyne.NewSize(800, 560))
	return w
}

// Window is the fyne window, for showing, focusing and running it.
func (w *Window) Window() fyne.Window { return w.win }

// Show switches to view (one of the View* names; anything else means Home).
// For ViewAccept a non-empty link is an invitation, filled in and looked up;
// for ViewShare it is a folder (a path or file:// URL) to share, so a file
// manager can offer "Share with Porchlight"; for ViewBrowse it is the friend
// (name or ID) whose shares to open. Call it on fyne's goroutine.
func (w *Window) Show(view, link string) {
	tab, ok := w.tabFor[view]
	if !ok {
		tab = w.tabFor[ViewHome]
	}
	w.tabs.Select(tab)
	switch {
	case link == "":
	case view == ViewAccept:
		w.accept.open(link)
	case view == ViewShare:
		w.share.pick(folderPath(link))
	case view == ViewBrowse:
		w.browse.openFriend(link)
	}
}

// Start follows the core's event stream until ctx ends, refreshing the views
// on every (re)connect and on each change. Call it once, before running the
// app; actions the user starts are bounded by ctx too.
func (w *Window) Start(ctx context.Context) {
	w.ctx = ctx
	w.busy.Go(func() { w.follow(ctx) })
}

// Wait returns when the window's background work has stopped: the event
// stream after Start's context ends, and calls the views made.
func (w *Window) Wait() { w.busy.Wait() }

// call runs fn on a new goroutine with a bounded context; fn hands its
// results to the widgets through fyne.Do.
func (w *Window) call(fn func(ctx context.Context)) { w.callWithin(callTimeout, fn) }

// callWithin is call bounded by limit instead of callTimeout.
func (w *Window) callWithin(limit time.Duration, fn func(ctx context.Context)) {
	w.busy.Go(func() {
		ctx, cancel := context.WithTimeout(w.ctx, limit)
		defer cancel()
		fn(ctx)
	})
}

// confirmDanger asks before something that cannot be undone; do runs (off
// fyne's goroutine, through call) only if the resident confirms.
func (w *Window) confirmDanger(title, body, confirm, dismiss string, do func(ctx context.Context)) {
	d := dialog.NewConfirm(title, body, func(ok bool) {
		if ok {
			w.call(do)
		}
	}, w.win)
	d.SetConfirmText(confirm)
	d.SetDismissText(dismiss)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}
