package console

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/store"
)

type signInPage struct {
	page
}

// signInPage shows the sign-in form with a fresh CSRF token in a cookie
// of its own: there is no session yet to hold it.
func (c *Console) signInPage(ctx *gin.Context) {
	c.showSignIn(ctx, http.StatusOK, "")
}

func (c *Console) showSignIn(ctx *gin.Context, status int, why string) {
	token := randomToken()
	c.setCookie(ctx, signInCookie, token, time.Hour)
	p := signInPage{page: c.page(ctx, "登录", "")}
	p.CSRF, p.Error = token, why
	if why == "" && ctx.Query("expired") != "" {
		p.Error = "登录已过期,请重新登录"
	}
	c.render(ctx, status, "signin", p)
}

func (c *Console) signIn(ctx *gin.Context) {
	want, err := ctx.Cookie(signInCookie)
	if err != nil || !sameToken(ctx.PostForm("csrf"), want) {
		c.showSignIn(ctx, http.StatusForbidden, "表单已失效,请重新登录")
		return
	}
	staff, err := c.deps.Store.SignIn(ctx.Request.Context(), store.Credentials{
		Username: ctx.PostForm("username"), Password: ctx.PostForm("password"), RemoteAddr: ctx.ClientIP(),
	}, c.cfg.Lockout)
	switch {
	case errors.Is(err, store.ErrLocked), errors.Is(err, store.ErrBadCredentials):
		// One answer for both: a locked account would otherwise tell a
		// stranger that the username exists.
		c.showSignIn(ctx, http.StatusUnauthorized, "用户名或密码错误。连续多次失败后账号会暂时锁定,请稍后再试或联系主管")
		return
	case err != nil:
		c.fail(ctx, err)
		return
	}
	token, _, err := c.deps.Store.CreateSession(ctx.Request.Context(), staff.Username, c.cfg.SessionTTL)
	if err != nil {
		c.fail(ctx, err)
		return
	}
	c.clearCookie(ctx, signInCookie)
	c.setCookie(ctx, sessionCookie, token, c.cfg.SessionTTL)
	ctx.Redirect(http.StatusSeeOther, "/console/cases")
}

func (c *Console) signOut(ctx *gin.Context) {
	token, _ := ctx.Get("token")
	if err := c.deps.Store.DeleteSession(ctx.Request.Context(), token.(string)); err != nil {
		c.fail(ctx, err)
		return
	}
	c.clearCookie(ctx, sessionCookie)
	ctx.Redirect(http.StatusSeeOther, "/console/signin")
}
