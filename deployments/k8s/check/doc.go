// Package check holds the tests of policybot's deployment files: the
// Kubernetes manifests of deployments/k8s, decoded strictly into the API's
// types; deployments/compose.yaml; and deployments/docker/Dockerfile with the
// repository's .dockerignore. It is a module of its own so that the Kubernetes
// API stays out of the service's go.mod.
package check
