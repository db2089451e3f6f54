package window

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
)

// transfersTitle names the Transfers view in the navigation.
const transfersTitle = "Transfers"

// navOrder is the order of the views down the navigation.
var navOrder = []string{ViewHome, ViewFriends, ViewBrowse, ViewTransfers, ViewShare, ViewInvite, ViewAccept}

// navItem is one view's entry in the navigation. The views themselves live
// beside it (newViewStack), so that the navigation's compact theme does not
// reach them.
func navItem(title string, icon fyne.Resource) *container.TabItem {
	return container.NewTabItemWithIcon(title, icon, layout.NewSpacer())
}

// newNav is the navigation down the side: fyne's tabs, drawn with smaller
// icons and padding so that all seven views fit an 800×560 window.
func (w *Window) newNav() fyne.CanvasObject {
	items := make([]*container.TabItem, 0, len(navOrder))
	for _, v := range navOrder {
		items = append(items, w.tabFor[v])
	}
	w.tabs = container.NewAppTabs(items...)
	w.tabs.SetTabLocation(container.TabLocationLeading)
	w.tabs.OnSelected = func(item *container.TabItem) {
		for v, it := range w.tabFor {
			if it == item {
				w.showView(v)
			}
		}
	}
	return container.NewThemeOverride(w.tabs, navTheme{appTheme{}})
}

// newViewStack holds every view, showing the one selected.
func (w *Window) newViewStack() fyne.CanvasObject {
	stack := container.NewStack()
	for _, v := range navOrder {
		stack.Add(w.views[v])
	}
	w.showView(ViewHome)
	return stack
}

// showView shows view's content and hides the others'.
func (w *Window) showView(view string) {
	for v, content := range w.views {
		if v == view {
			content.Show()
		} else {
			content.Hide()
		}
	}
}

// setTransfersBadge shows how many transfers are running beside the
// Transfers view's name.
func (w *Window) setTransfersBadge(running int) {
	tab := w.tabFor[ViewTransfers]
	text := transfersTitle
	if running > 0 {
		text = fmt.Sprintf("%s (%d)", transfersTitle, running)
	}
	if tab.Text != text {
		tab.Text = text
		w.tabs.Refresh()
	}
}

// appTheme is whatever theme the app has now, so that the navigation
// follows theme changes made after it was built.
type appTheme struct{}

func (appTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.current().Color(n, v)
}
func (t appTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.current().Font(s) }
func (t appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.current().Icon(n) }
func (t appTheme) Size(n fyne.ThemeSizeName) float32       { return t.current().Size(n) }

// navTheme shrinks the navigation's icons and padding.
type navTheme struct{ fyne.Theme }

func (t navTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameInlineIcon:
		return 15
	case theme.SizeNameInnerPadding:
		return 6
	}
	return t.Theme.Size(n)
}
