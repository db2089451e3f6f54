package window

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/porchlight/porchlight/app/api"
)

// codePattern is the shape of a short code read aloud, like
// 4-purple-sausage, once normalised by shortCode.
var codePattern = regexp.MustCompile(`^\d+-[a-z]+-[a-z]+$`)

// shortCode says whether s is a short code rather than a link, and gives
// it in the core's form: lower case, words joined by hyphens, so that
// "4 Purple sausage" works too.
func shortCode(s string) (string, bool) {
	code := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "-", " ")), "-"))
	return code, codePattern.MatchString(code)
}

// submitCode joins by a short code in the background. There is nothing to
// inspect first: the core finds the friend through the relay, which may
// take a while.
func (v *acceptView) submitCode(code string) {
	v.check.Disable()
	v.offer.Hide()
	v.checked, v.pending = "", nil
	showError(v.err, "")
	v.looking.Show()
	v.seeking.Start()
	v.w.callWithin(codeTimeout, func(ctx context.Context) { v.acceptCode(ctx, code) })
}

func (v *acceptView) acceptCode(ctx context.Context, code string) {
	j, err := v.w.client.AcceptCode(ctx, code)
	v.w.lost(err)
	fyne.Do(func() {
		v.check.Enable()
		v.seeking.Stop()
		v.looking.Hide()
		if err != nil {
			showError(v.err, err.Error())
			return
		}
		v.showCodeJoin(j)
	})
}

// showCodeJoin shows whom a short code joined, then follows the join as
// one accepted by link.
func (v *acceptView) showCodeJoin(j api.Join) {
	v.inviter.SetText(fmt.Sprintf("%s invited you by code", j.InviterName))
	setCaption(v.id, "")
	setRows(v.face, []fyne.CanvasObject{avatar(j.InviterName)})
	setRows(v.shares, nil)
	setCaption(v.detail, "")
	v.accept.Hide()
	v.outcome.Hide()
	v.offer.Show()
	v.pending = &j
	v.joinChanged(j)
}
