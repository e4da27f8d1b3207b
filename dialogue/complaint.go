package dialogue

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ComplaintDesk files complaints with the city's enterprise complaint
// platform and tells their progress. The chat offers to file only when one
// is configured.
type ComplaintDesk interface {
	// File records a complaint to be delivered and returns its ticket
	// number. The same Key files once: a retried turn gets the same number.
	File(ctx context.Context, c Complaint) (string, error)
	// Progress returns the tickets of an owner, or the one ticket a number
	// and its contact phone name; none, never an error, for anyone else.
	Progress(ctx context.Context, q ProgressQuery) ([]TicketProgress, error)
}

// Complaint is what the chat files: the user's own words, who to contact,
// with their consent, and what the conversation established.
type Complaint struct {
	Key        string // idempotency: the session and the turn that filed it
	Owner      string // the WeChat user, or "" for anonymous chat
	Contact    string
	Phone      string
	Enterprise string
	Words      string
	Facts      []FactRecord
	Clauses    []Citation
	Department string
	ConsentAt  time.Time
}

// ProgressQuery asks for tickets by owner, or by number and contact phone.
type ProgressQuery struct{ Owner, TicketNo, Phone string }

// TicketProgress is one ticket and the steps of the platform's closed loop
// it has passed (受理, 转办, 办理中, 办结, 回访, 评价).
type TicketProgress struct {
	TicketNo string
	Status   string // the latest step, or "待转交" before delivery
	FiledAt  time.Time
	History  []ProgressStep
}

// ProgressStep is one step of a ticket's history.
type ProgressStep struct {
	Status string
	Note   string // what the platform said of the step, as it said it
	At     time.Time
}

// ComplaintDraft is a complaint the chat is gathering: the words it began
// with, then the contact and the consent it asks for.
type ComplaintDraft struct {
	Words      string `json:"words"`
	Contact    string `json:"contact,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Enterprise string `json:"enterprise,omitempty"`
	Consent    bool   `json:"consent,omitempty"`
}

// The words of the complaint dialogue: grammar of consent and refusal, and
// the questions of progress.
var (
	consentWords  = []string{"同意", "可以提交", "提交吧", "确认提交", "帮我提交", "好的提交", "同意提交", "授权"}
	refusalWords  = []string{"不同意", "不用了", "算了", "不提交", "取消", "不要提交", "先不用", "不用提交"}
	progressWords = []string{"投诉进度", "我的投诉", "查投诉", "投诉查询", "查询投诉", "投诉编号", "工单进度", "办理进度", "投诉的进度", "投诉处理到哪"}
	phonePattern  = regexp.MustCompile(`(?:^|[^0-9])(1[3-9][0-9]{9})(?:$|[^0-9])`)
	ticketPattern = regexp.MustCompile(`[A-Z]{1,4}[0-9]{6,20}(?:-[0-9]{1,8})?`)
	// contactPattern takes a name said as such: 联系人张三, 我叫李四, 王先生.
	contactPattern    = regexp.MustCompile(`(?:联系人[是为:：]?|我叫|我是|姓名[是为:：]?)\s*([\p{Han}]{2,4}?)(?:[,，。;；\s]|$|电话|手机|1[3-9])|([\p{Han}]{1,2}(?:先生|女士|经理|总))`)
	enterprisePattern = regexp.MustCompile(`(?:企业名称|公司名称|单位名称)[是为:：]?\s*([^,，。;；\s]{2,40})`)
)

// asksProgress reports whether a message asks after a complaint filed.
func asksProgress(text string) bool { return containsAny(text, progressWords) }

// offerFiling is said when a user asks for a person or complains and a
// desk is configured: how to have it filed, and what will be sent.
const offerFiling = "如需我把您的诉求提交到企业投诉服务平台,请回复企业名称、联系人姓名和手机号,并回复“同意提交”。同意后,您的原话、企业名称、已提供的情况和相关政策条款将转给平台办理;不需要可回复“不用了”。"

// startComplaint begins a draft with the words the user complained in.
func (s *Service) startComplaint(st *State, msg string) string {
	if s.desk == nil {
		return ""
	}
	st.Complaint = &ComplaintDraft{Words: msg}
	st.Pending = ""
	s.fillDraft(st.Complaint, msg)
	// Consent counts only once the user has been told what is sent.
	st.Complaint.Consent = false
	return offerFiling
}

// fillDraft takes what a message gives of the contact, the phone, the
// enterprise and the consent.
func (s *Service) fillDraft(d *ComplaintDraft, msg string) {
	text := normalize(msg)
	if m := phonePattern.FindStringSubmatch(text); m != nil {
		d.Phone = m[1]
	}
	if m := contactPattern.FindStringSubmatch(text); m != nil {
		d.Contact = strings.TrimSpace(m[1] + m[2])
	}
	if m := enterprisePattern.FindStringSubmatch(text); m != nil {
		d.Enterprise = m[1]
	}
	if containsAny(text, consentWords) && !containsAny(text, refusalWords) {
		d.Consent = true
	}
}

// complaintTurn goes on with a draft: it is dropped on refusal, asks for
// what is missing, and files once the contact, the phone and the consent
// are given. ok is false when the message is not about the draft, which
// then stays for later.
func (s *Service) complaintTurn(ctx context.Context, st *State, msg string, r *Reply) (text string, ok bool, err error) {
	d := st.Complaint
	norm := normalize(msg)
	if containsAny(norm, refusalWords) {
		st.Complaint = nil
		return "好的,不提交了。" + s.texts.Human, true, nil
	}
	before := *d
	s.fillDraft(d, msg)
	if *d == before && !containsAny(norm, consentWords) {
		return "", false, nil
	}
	if d.Enterprise == "" {
		if f, ok := st.fact("name"); ok { // 名称为…, told in the chat
			d.Enterprise, _ = f.Value.(string)
		}
	}
	var missing []string
	if d.Enterprise == "" {
		missing = append(missing, "企业名称")
	}
	if d.Contact == "" {
		missing = append(missing, "联系人姓名")
	}
	if d.Phone == "" {
		missing = append(missing, "手机号")
	}
	if !d.Consent {
		missing = append(missing, "“同意提交”的确认")
	}
	if len(missing) > 0 {
		return "还需要您的" + strings.Join(missing, "、") + ",收到后我就提交。", true, nil
	}
	c := Complaint{
		Key: fmt.Sprintf("%s:%d", st.ID, st.Turn), Owner: st.Owner,
		Contact: d.Contact, Phone: d.Phone, Enterprise: d.Enterprise, Words: d.Words,
		Facts: append([]FactRecord{}, st.Facts...), Clauses: append([]Citation{}, st.Cited...),
		Department: s.toldDepartment(st), ConsentAt: s.now(),
	}
	no, err := s.desk.File(ctx, c)
	if err != nil {
		// The turn fails and is not applied: the user's retry files it.
		return "", true, err
	}
	st.Complaint = nil
	r.TicketNo = no
	return fmt.Sprintf("已提交到企业投诉服务平台,投诉编号%s。可随时发送“我的投诉进度”查询办理情况;在其他设备上查询,请发送投诉编号和联系电话。", no), true, nil
}

// toldDepartment names the department of the first result told, the one a
// complaint about it concerns, or "".
func (s *Service) toldDepartment(st *State) string {
	for _, id := range st.Told {
		if b, ok := s.engine.Benefit(id); ok && b.Department != "" && !strings.Contains(b.Department, "未写明") {
			return b.Department
		}
	}
	return ""
}

// progressAnswer tells the progress of the user's tickets, or of the one a
// number and phone name. Anyone else is told nothing was found, as for a
// number that does not exist.
func (s *Service) progressAnswer(ctx context.Context, st *State, msg string) (string, error) {
	if s.desk == nil {
		return "目前未接入企业投诉服务平台,请拨打12345政务服务便民热线查询。", nil
	}
	text := normalize(msg)
	q := ProgressQuery{Owner: st.Owner}
	if no := ticketPattern.FindString(text); no != "" {
		q = ProgressQuery{TicketNo: no}
		if m := phonePattern.FindStringSubmatch(text); m != nil {
			q.Phone = m[1]
		}
		if q.Phone == "" && st.Owner != "" {
			q.Owner = st.Owner
		}
	}
	if q.Owner == "" && q.Phone == "" {
		return "请发送投诉编号和提交时留的联系电话,例如“TS2026120100001 13800138000”。", nil
	}
	tickets, err := s.desk.Progress(ctx, q)
	if err != nil {
		return "", err
	}
	if len(tickets) == 0 {
		return "没有查到相关投诉。请核对投诉编号和联系电话。", nil
	}
	var b strings.Builder
	for i, t := range tickets {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, "投诉编号%s(%s提交):当前状态为%s", t.TicketNo, t.FiledAt.In(chinaZone).Format("2006-01-02"), t.Status)
		if len(t.History) > 0 {
			var steps []string
			for _, h := range t.History {
				steps = append(steps, h.At.In(chinaZone).Format("01-02")+h.Status)
			}
			b.WriteString(",经过:" + strings.Join(steps, "→"))
			// The history is in the platform's order, so its last step is
			// the one the current status came from.
			if note := t.History[len(t.History)-1].Note; note != "" {
				b.WriteString(",最新进展:" + note)
			}
		}
	}
	b.WriteString("。")
	return b.String(), nil
}

// chinaZone is the zone dates are told in.
var chinaZone = time.FixedZone("CST", 8*3600)
