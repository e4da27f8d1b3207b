package check

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/intstr"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// manifests are the objects of deployments/k8s, by kind.
type manifests struct {
	Deployments []*appsv1.Deployment
	Services    []*corev1.Service
	ConfigMaps  []*corev1.ConfigMap
	HPAs        []*autoscalingv2.HorizontalPodAutoscaler
	PDBs        []*policyv1.PodDisruptionBudget
}

// deserializer decodes the kinds the manifests may hold, strictly: an
// unknown or duplicate field fails, as kubectl's strict field validation
// would refuse it.
func deserializer(tb testing.TB) runtime.Decoder {
	tb.Helper()
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme, policyv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			tb.Fatal(err)
		}
	}
	return serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
}

// readManifests decodes every document of the kustomization's resources.
func readManifests(tb testing.TB) manifests {
	tb.Helper()
	dec := deserializer(tb)
	var m manifests
	for _, res := range readKustomization(tb).Resources {
		r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(mustRead(tb, "deployments/k8s/"+res))))
		for {
			doc, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				tb.Fatalf("%s: %v", res, err)
			}
			if len(bytes.TrimSpace(stripComments(doc))) == 0 {
				continue
			}
			obj, gvk, err := dec.Decode(doc, nil, nil)
			if err != nil {
				tb.Fatalf("%s: %v", res, err)
			}
			switch o := obj.(type) {
			case *appsv1.Deployment:
				m.Deployments = append(m.Deployments, o)
			case *corev1.Service:
				m.Services = append(m.Services, o)
			case *corev1.ConfigMap:
				m.ConfigMaps = append(m.ConfigMaps, o)
			case *autoscalingv2.HorizontalPodAutoscaler:
				m.HPAs = append(m.HPAs, o)
			case *policyv1.PodDisruptionBudget:
				m.PDBs = append(m.PDBs, o)
			case *corev1.Secret:
				tb.Fatalf("%s: a Secret %s in the repository; refer to one made in the cluster", res, o.Name)
			default:
				tb.Fatalf("%s: %s is not a kind these tests check", res, gvk)
			}
			if ns := obj.(metav1.Object).GetNamespace(); ns != "" {
				tb.Errorf("%s: %s has namespace %q; the manifests are namespace-agnostic", res, gvk.Kind, ns)
			}
		}
	}
	if len(m.Deployments) != 1 || len(m.ConfigMaps) != 1 || len(m.HPAs) != 1 || len(m.PDBs) != 1 || len(m.Services) == 0 {
		tb.Fatalf("want one Deployment, ConfigMap, HPA and PDB and some Services; got %d, %d, %d, %d, %d",
			len(m.Deployments), len(m.ConfigMaps), len(m.HPAs), len(m.PDBs), len(m.Services))
	}
	return m
}

// commentLine matches a YAML line holding only a comment.
var commentLine = regexp.MustCompile(`(?m)^\s*#.*$`)

func stripComments(doc []byte) []byte { return commentLine.ReplaceAll(doc, nil) }

// kustomization is the part of a kustomization.yaml used here.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
	Images     []struct {
		Name    string `json:"name"`
		NewName string `json:"newName,omitempty"`
		NewTag  string `json:"newTag,omitempty"`
		Digest  string `json:"digest,omitempty"`
	} `json:"images"`
}

func readKustomization(tb testing.TB) kustomization {
	tb.Helper()
	var k kustomization
	if err := decodeStrict(mustRead(tb, "deployments/k8s/kustomization.yaml"), &k); err != nil {
		tb.Fatalf("kustomization.yaml: %v", err)
	}
	return k
}

// TestDecoderIsStrict makes sure the decoder refuses what it must, lest the
// other tests pass on a manifest the API server would refuse.
func TestDecoderIsStrict(t *testing.T) {
	dec := deserializer(t)
	for name, doc := range map[string]string{
		"unknown field":  "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replica: 2\n",
		"wrong case":     "apiVersion: apps/v1\nkind: Deployment\nspec:\n  Replicas: 2\n",
		"duplicate":      "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  replicas: 3\n",
		"wrong type":     "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: two\n",
		"unknown kind":   "apiVersion: apps/v1\nkind: Deploymnt\n",
		"old apiVersion": "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := dec.Decode([]byte(doc), nil, nil); err == nil {
				t.Errorf("decoded %q", doc)
			}
		})
	}
	if err := decodeStrict([]byte("resources: []\nresource: []\n"), &kustomization{}); err == nil {
		t.Error("decodeStrict took an unknown field")
	}
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	k := readKustomization(t)
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		t.Errorf("kustomization.yaml is %s %s", k.APIVersion, k.Kind)
	}
	files, err := filepath.Glob(repoFile("deployments/k8s/*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		if base := filepath.Base(f); base != "kustomization.yaml" {
			want = append(want, base)
		}
	}
	got := slices.Sorted(slices.Values(k.Resources))
	if !slices.Equal(got, want) {
		t.Errorf("resources %v, want every manifest of deployments/k8s: %v", got, want)
	}
	if len(k.Images) != 1 || k.Images[0].Name != "policybot" {
		t.Errorf("images %+v, want one entry for the image policybot", k.Images)
	}
}

// podOf returns the Deployment's one container and its pod spec.
func podOf(t *testing.T, d *appsv1.Deployment) (*corev1.PodSpec, *corev1.Container) {
	t.Helper()
	spec := &d.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("Deployment %s has %d containers, want 1", d.Name, len(spec.Containers))
	}
	return spec, &spec.Containers[0]
}

// containerPort returns the port of c that p names or numbers.
func containerPort(c *corev1.Container, p intstr.IntOrString) (corev1.ContainerPort, bool) {
	for _, cp := range c.Ports {
		if (p.Type == intstr.String && cp.Name == p.StrVal) || (p.Type == intstr.Int && cp.ContainerPort == p.IntVal) {
			return cp, true
		}
	}
	return corev1.ContainerPort{}, false
}

// routes returns the paths of the GET routes registered in api/.
func routes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(repoFile("api/*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	re := regexp.MustCompile(`\.GET\("([^"]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			paths = append(paths, string(m[1]))
		}
	}
	return paths
}

// ownStatePaths are the routes that say whether the pod itself can serve,
// asking nothing of Redis or the database: the readiness probe must use one,
// or a Redis outage takes every pod out of the Service. /readyz/library
// answers 200 while the pod's library is loaded and its index open.
var ownStatePaths = []string{"/readyz/library"}

// livenessPaths are the routes that fail only when the process itself does
// not answer: a liveness probe on anything more (/readyz pings Redis)
// would restart every pod when a shared service fails.
var livenessPaths = []string{"/healthz"}

func TestDeploymentProbes(t *testing.T) {
	m := readManifests(t)
	_, c := podOf(t, m.Deployments[0])
	registered := routes(t)
	for name, p := range map[string]*corev1.Probe{
		"startupProbe": c.StartupProbe, "readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe,
	} {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("%s: want an HTTP GET probe", name)
			continue
		}
		if !slices.Contains(registered, p.HTTPGet.Path) {
			t.Errorf("%s: api/ registers no GET %s", name, p.HTTPGet.Path)
		}
		if cp, ok := containerPort(c, p.HTTPGet.Port); !ok || cp.Name != "http" {
			t.Errorf("%s: port %s is not the container's http port", name, p.HTTPGet.Port.String())
		}
		if p.TimeoutSeconds < 1 || p.PeriodSeconds < 1 || p.FailureThreshold < 1 {
			t.Errorf("%s: timeout, period and failure threshold must be set", name)
		}
	}
	if p := c.ReadinessProbe; p != nil && p.HTTPGet != nil && !slices.Contains(ownStatePaths, p.HTTPGet.Path) {
		t.Errorf("readinessProbe GET %s: want one of %v, which depend on the pod alone", p.HTTPGet.Path, ownStatePaths)
	}
	if p := c.LivenessProbe; p != nil && p.HTTPGet != nil && !slices.Contains(livenessPaths, p.HTTPGet.Path) {
		t.Errorf("livenessProbe GET %s: want one of %v, which fail only when the process does not answer", p.HTTPGet.Path, livenessPaths)
	}
	if p := c.StartupProbe; p != nil && time.Duration(p.PeriodSeconds*p.FailureThreshold)*time.Second < time.Minute {
		t.Errorf("startupProbe gives %ds; a replica may wait minutes on another's migration", p.PeriodSeconds*p.FailureThreshold)
	}
}

func TestDeploymentSecurityAndResources(t *testing.T) {
	m := readManifests(t)
	d := m.Deployments[0]
	spec, c := podOf(t, d)
	uid, gid := readDockerfile(t).imageUser(t)

	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		t.Error("the pod's securityContext must set runAsNonRoot: true")
	}
	if psc == nil || psc.RunAsUser == nil || *psc.RunAsUser != uid || psc.RunAsGroup == nil || *psc.RunAsGroup != gid {
		t.Errorf("the pod's runAsUser and runAsGroup must be the image's USER %d:%d", uid, gid)
	}
	csc := c.SecurityContext
	if csc == nil {
		t.Fatal("the container has no securityContext")
	}
	if csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation must be false")
	}
	if csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem {
		t.Error("readOnlyRootFilesystem must be true")
	}
	if csc.Privileged != nil && *csc.Privileged {
		t.Error("privileged must not be true")
	}
	if csc.Capabilities == nil || !slices.Equal(csc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(csc.Capabilities.Add) > 0 {
		t.Error("capabilities must drop ALL and add none")
	}
	for where, sc := range map[string]*corev1.SeccompProfile{"container": csc.SeccompProfile, "pod": psc.SeccompProfile} {
		if sc == nil || sc.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("the %s's seccompProfile must be RuntimeDefault", where)
		}
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Error("automountServiceAccountToken must be false: the pods never call the API")
	}

	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, okReq := c.Resources.Requests[r]
		lim, okLim := c.Resources.Limits[r]
		if !okReq || !okLim {
			t.Errorf("resources: want a request and a limit of %s", r)
			continue
		}
		if req.Cmp(lim) > 0 {
			t.Errorf("resources: the %s request %s is over the limit %s", r, req.String(), lim.String())
		}
	}
	if lim, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
		env := envValues(c)
		q, err := resource.ParseQuantity(strings.TrimSuffix(env["GOMEMLIMIT"], "B"))
		if err != nil {
			t.Errorf("GOMEMLIMIT=%q: %v", env["GOMEMLIMIT"], err)
		} else if f := q.AsApproximateFloat64() / lim.AsApproximateFloat64(); f < 0.75 || f > 0.95 {
			t.Errorf("GOMEMLIMIT %s is %.0f%% of the memory limit %s; want 75-95%%", env["GOMEMLIMIT"], 100*f, lim.String())
		}
	}

	// Every mount has its volume; the root file system is read-only, so
	// /tmp must be a volume.
	volumes := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
	}
	var tmp bool
	for _, vm := range c.VolumeMounts {
		v, ok := volumes[vm.Name]
		if !ok {
			t.Errorf("volumeMount %s has no volume", vm.Name)
		}
		if vm.MountPath == "/tmp" {
			tmp = v.EmptyDir != nil && !vm.ReadOnly
		}
		if v.Secret != nil && !vm.ReadOnly {
			t.Errorf("volumeMount %s of a Secret must be readOnly", vm.Name)
		}
	}
	if !tmp {
		t.Error("want a writable emptyDir at /tmp")
	}

	// The grace period covers the preStop sleep and serve's shutdown.
	shutdown := 10 * time.Second
	if s, ok := m.ConfigMaps[0].Data["POLICYBOT_SHUTDOWN_TIMEOUT"]; ok {
		var err error
		if shutdown, err = time.ParseDuration(s); err != nil {
			t.Fatal(err)
		}
	}
	var sleep time.Duration
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		sleep = time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	if sleep == 0 {
		t.Error("want a preStop sleep, so that endpoints drop the pod before serve stops accepting")
	}
	if g := spec.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= sleep+shutdown {
		t.Errorf("terminationGracePeriodSeconds must exceed the preStop sleep %v and the shutdown timeout %v", sleep, shutdown)
	}
}

// envValues returns the container's env entries that have a value.
func envValues(c *corev1.Container) map[string]string {
	env := map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			env[e.Name] = e.Value
		}
	}
	return env
}

// TestNoSecretValues checks that every secret reaches the pods from a
// Secret made in the cluster, and that the README says which keys to make.
func TestNoSecretValues(t *testing.T) {
	m := readManifests(t)
	_, c := podOf(t, m.Deployments[0])
	readme := string(mustRead(t, "README.md"))
	known := servedEnv(t)
	required := map[string]bool{"DATABASE_URL": false, "REDIS_URL": false}
	mounted := secretFiles(t, m.Deployments[0])
	set := map[string]bool{}
	for _, e := range c.Env {
		set[e.Name] = true
	}
	for _, e := range c.Env {
		// policybot refuses a variable set both as a value and as a file.
		if name, ok := strings.CutSuffix(e.Name, "_FILE"); ok && set[name] {
			t.Errorf("env %s and %s are both set; policybot refuses to start", name, e.Name)
		}
		// A secret in a file: the file must be an item of a Secret's
		// volume, one that is not optional where the secret is required.
		if name, ok := strings.CutSuffix(e.Name, "_FILE"); ok && e.ValueFrom == nil {
			if _, isRequired := required[name]; isRequired {
				f, ok := mounted[e.Value]
				if !ok {
					t.Errorf("env %s=%s: no Secret's item is mounted there", e.Name, e.Value)
				}
				required[name] = ok && !f.optional
			}
		}
		if !known[e.Name] {
			t.Errorf("env %s: policybot reads no such variable", e.Name)
		}
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			ref := e.ValueFrom.SecretKeyRef
			if !strings.Contains(readme, "`"+ref.Key+"`") {
				t.Errorf("env %s: the README's Deploying section does not name the Secret's key `%s`", e.Name, ref.Key)
			}
			if _, ok := required[e.Name]; ok {
				required[e.Name] = ref.Optional == nil || !*ref.Optional
			}
			continue
		}
		if secretLike(e.Name) && e.Value != "" {
			t.Errorf("env %s has a value in the repository; use a secretKeyRef", e.Name)
		}
		if _, ok := urlPassword(e.Value); ok {
			t.Errorf("env %s holds a URL with a password", e.Name)
		}
	}
	for name, ok := range required {
		if !ok {
			t.Errorf("env %s: want a required secretKeyRef, or %s_FILE naming an item of a Secret's volume that is not optional: several replicas must share Redis and PostgreSQL", name, name)
		}
	}
	for k, v := range m.ConfigMaps[0].Data {
		if !known[k] {
			t.Errorf("ConfigMap %s: policybot reads no such variable", k)
		}
		if secretLike(k) {
			t.Errorf("ConfigMap %s: a secret belongs in a Secret", k)
		}
		if _, ok := urlPassword(v); ok {
			t.Errorf("ConfigMap %s holds a URL with a password", k)
		}
	}
	for _, v := range m.Deployments[0].Spec.Template.Spec.Volumes {
		if v.Secret == nil {
			continue
		}
		if len(v.Secret.Items) == 0 {
			t.Errorf("volume %s: name the Secret's keys it mounts (items), not all of them", v.Name)
		}
		for _, it := range v.Secret.Items {
			if !strings.Contains(readme, "`"+it.Key+"`") {
				t.Errorf("volume %s: the README does not name the Secret's key `%s`", v.Name, it.Key)
			}
		}
	}
}

// TestObjectsAgree checks that the objects refer to each other and to the
// image as they must: the selectors pick the Deployment's pods, the Service
// ports and the listen addresses are the container's ports, which are the
// Dockerfile's EXPOSE, and the HPA scales the Deployment.
func TestObjectsAgree(t *testing.T) {
	m := readManifests(t)
	d := m.Deployments[0]
	_, c := podOf(t, d)
	podLabels := labels.Set(d.Spec.Template.Labels)
	selects := func(what string, ls *metav1.LabelSelector) {
		t.Helper()
		sel, err := metav1.LabelSelectorAsSelector(ls)
		if err != nil || sel.Empty() || !sel.Matches(podLabels) {
			t.Errorf("%s: selector %v does not select the pods (%v)", what, ls, podLabels)
		}
	}
	selects("Deployment", d.Spec.Selector)
	for _, tsc := range d.Spec.Template.Spec.TopologySpreadConstraints {
		selects("topologySpreadConstraint", tsc.LabelSelector)
	}

	if c.Image != "policybot" {
		t.Errorf("image %q, want policybot, which kustomization.yaml's images sets", c.Image)
	}
	df := readDockerfile(t)
	var ports []int32
	for _, cp := range c.Ports {
		ports = append(ports, cp.ContainerPort)
	}
	slices.Sort(ports)
	if exposed := df.final().exposed(t); !slices.Equal(ports, exposed) {
		t.Errorf("containerPorts %v, want the Dockerfile's EXPOSE %v", ports, exposed)
	}
	cm := m.ConfigMaps[0]
	for name, port := range map[string]string{"POLICYBOT_ADDR": "http", "POLICYBOT_INTERNAL_ADDR": "internal"} {
		cp, ok := containerPort(c, intstr.FromString(port))
		if !ok {
			t.Errorf("the container has no port %s", port)
			continue
		}
		if got := addrPort(t, cm.Data[name]); got != cp.ContainerPort {
			t.Errorf("ConfigMap %s=%s, want port %d, the container's %s", name, cm.Data[name], cp.ContainerPort, port)
		}
	}
	if cm.Data["TZ"] != "Asia/Shanghai" {
		t.Errorf("ConfigMap TZ=%q, want Asia/Shanghai", cm.Data["TZ"])
	}
	var fromConfigMap bool
	for _, ef := range c.EnvFrom {
		fromConfigMap = fromConfigMap || (ef.ConfigMapRef != nil && ef.ConfigMapRef.Name == cm.Name)
	}
	if !fromConfigMap {
		t.Errorf("the container does not take its environment from ConfigMap %s", cm.Name)
	}

	for _, s := range m.Services {
		if len(s.Spec.Selector) == 0 || !labels.SelectorFromSet(s.Spec.Selector).Matches(podLabels) {
			t.Errorf("Service %s: selector %v does not select the pods", s.Name, s.Spec.Selector)
		}
		var names []string
		for _, sp := range s.Spec.Ports {
			cp, ok := containerPort(c, sp.TargetPort)
			if !ok {
				t.Errorf("Service %s: targetPort %s is none of the container's ports", s.Name, sp.TargetPort.String())
			}
			names = append(names, cp.Name)
		}
		// The internet zone's ingress must not reach the console.
		if slices.Contains(names, "http") && slices.Contains(names, "internal") {
			t.Errorf("Service %s serves both the public and the internal listener", s.Name)
		}
	}

	hpa := m.HPAs[0]
	if ref := hpa.Spec.ScaleTargetRef; ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != d.Name {
		t.Errorf("HPA scales %s %s %s, want apps/v1 Deployment %s", ref.APIVersion, ref.Kind, ref.Name, d.Name)
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 || hpa.Spec.MaxReplicas <= *hpa.Spec.MinReplicas {
		t.Error("HPA: want minReplicas of at least 2 and maxReplicas above it")
	}
	if d.Spec.Replicas == nil || hpa.Spec.MinReplicas == nil || *d.Spec.Replicas != *hpa.Spec.MinReplicas {
		t.Error("the Deployment's replicas must be the HPA's minReplicas")
	}
	var cpu bool
	for _, mt := range hpa.Spec.Metrics {
		cpu = cpu || (mt.Resource != nil && mt.Resource.Name == corev1.ResourceCPU)
	}
	if !cpu {
		t.Error("HPA: want a CPU metric")
	}

	pdb := m.PDBs[0]
	selects("PodDisruptionBudget", pdb.Spec.Selector)
	switch {
	case pdb.Spec.MaxUnavailable != nil:
	case pdb.Spec.MinAvailable != nil && pdb.Spec.MinAvailable.Type == intstr.Int && d.Spec.Replicas != nil &&
		pdb.Spec.MinAvailable.IntVal < *d.Spec.Replicas:
	default:
		t.Error("PodDisruptionBudget: want maxUnavailable, or a minAvailable below the replicas so that a node can drain")
	}
}

// secretFile is a file that a Secret's volume mounts in the container.
type secretFile struct {
	secret, key string
	optional    bool
}

// secretFiles returns the files the Deployment's container has from the
// items of Secrets' volumes, by path.
func secretFiles(t *testing.T, d *appsv1.Deployment) map[string]secretFile {
	t.Helper()
	spec, c := podOf(t, d)
	volumes := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
	}
	files := map[string]secretFile{}
	for _, vm := range c.VolumeMounts {
		v, ok := volumes[vm.Name]
		if !ok || v.Secret == nil || vm.SubPath != "" {
			continue
		}
		optional := v.Secret.Optional != nil && *v.Secret.Optional
		for _, it := range v.Secret.Items {
			files[path.Join(vm.MountPath, it.Path)] = secretFile{secret: v.Secret.SecretName, key: it.Key, optional: optional}
		}
	}
	return files
}
