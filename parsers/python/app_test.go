package python

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

const views = `from rest_framework import viewsets

from .models import ChatSession


class ChatSessionViewSet(viewsets.ModelViewSet):
    serializer_class = ChatSessionSerializer
    queryset = ChatSession.objects.all()

    def get_queryset(self):
        qs = super().get_queryset()
        return (
            qs.filter(user=self.request.user)
            .select_related("target_profile")
            .order_by("-updated_at")
        )

    @action(detail=True)
    def count(self, request, pk=None, *args, **kwargs):
        return Response({"n": self.get_object().messages.count()})


class Message(models.Model):
    session = models.ForeignKey("ChatSession", on_delete=models.CASCADE)

    class Meta:
        indexes = [models.Index(fields=["session", "-created_at"]),]
        unique_together = ("a", "b")
`

func TestAppModule(t *testing.T) {
	m, err := Parse(parsers.NewDocument("chat/views.py", parsers.KindPythonApp, []byte(views)))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Classes) != 2 {
		t.Fatalf("classes = %d", len(m.Classes))
	}
	v := m.Classes[0]
	if v.Name != "ChatSessionViewSet" || len(v.Bases) != 1 || v.Bases[0].Name != "viewsets.ModelViewSet" || v.Indent != "    " {
		t.Errorf("class: %+v", v)
	}
	qs := v.Attr("queryset")
	if qs == nil || qs.Value.Chain == nil || qs.Value.Chain.Path() != "ChatSession.objects.all" {
		t.Fatalf("queryset chain: %+v", qs)
	}
	gq := v.Method("get_queryset")
	if gq == nil || len(gq.Returns) != 1 || len(gq.Locals) != 1 {
		t.Fatalf("get_queryset: %+v", gq)
	}
	ret := gq.Returns[0].Chain
	if ret == nil || ret.Path() != "qs.filter.select_related.order_by" {
		t.Fatalf("return chain: %+v", ret)
	}
	sr := ret.Links[1]
	if got := m.Doc.Text(parsers.Span{Start: sr.Dot, End: sr.Call.Close + 1}); got != `.select_related("target_profile")` {
		t.Errorf("select_related link spans %q", got)
	}
	if l := gq.Locals[0]; l.Name != "qs" || l.Value.Chain == nil || l.Value.Chain.Root != "super" || l.Value.Chain.RootCall == nil || l.Value.Chain.Path() != "super.get_queryset" {
		t.Errorf("local: %+v", l.Value.Chain)
	}
	cnt := v.Method("count")
	if cnt == nil || strings.Join(cnt.Params, ",") != "self,request,pk" || len(cnt.Decorators) != 1 {
		t.Fatalf("count: %+v", cnt)
	}
	var paths []string
	for _, c := range cnt.Chains {
		paths = append(paths, c.Path())
	}
	if got := strings.Join(paths, " "); got != "Response self.get_object.messages.count" {
		t.Errorf("chains: %s", got)
	}
	meta := m.Classes[1].Nested("Meta")
	if meta == nil {
		t.Fatal("no Meta")
	}
	idx := meta.Attr("indexes").Value.List
	if idx == nil || len(idx.Items) != 1 || !idx.TrailingComma || m.Doc.Src[idx.Open] != '[' || m.Doc.Src[idx.Close] != ']' {
		t.Fatalf("indexes list: %+v", idx)
	}
	fields, ok := idx.Items[0].Call.Kwarg("fields").Value.List.Strings()
	if !ok || strings.Join(fields, ",") != "session,-created_at" {
		t.Errorf("index fields: %v", fields)
	}
	if ut, ok := meta.Attr("unique_together").Value.List.Strings(); !ok || len(ut) != 2 || meta.Attr("unique_together").Value.List.TrailingComma {
		t.Errorf("unique_together: %v", ut)
	}
	if want := strings.Index(views, "count()})\n") + len("count()})\n"); meta.BodyEnd != len(views) || m.Classes[0].BodyEnd != want {
		t.Errorf("BodyEnd: %d / %d", meta.BodyEnd, m.Classes[0].BodyEnd)
	}
}

// Settings modules are not read for classes: the settings model stays as
// it was.
func TestSettingsSkipClasses(t *testing.T) {
	m := parse(t, "class A:\n    x = [1]\n")
	if len(m.Classes) != 0 {
		t.Errorf("settings module read for classes")
	}
}
