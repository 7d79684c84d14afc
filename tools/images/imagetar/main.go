// imagetar writes a container image as a `docker save` tarball (the format `ctr images import`
// and `docker load` read) from directory trees and an image config, with no registry and no
// container engine. It is built by tools/images/build.sh against the catalog's
// github.com/google/go-containerregistry (a generated wrapper module, so no go.mod here).
//
//	imagetar <spec.json>
//
// The spec (written by tools/images/build.sh):
//
//	{
//	  "ref": "ghcr.io/fleetnet/coredns:1.14.7",   // the one tag written into the tarball, verbatim
//	  "output": "/abs/path/image.tar",
//	  "layers": [{
//	    "dir": "/abs/staging/tree",                 // becomes the layer's /
//	    "comment": "what this layer is",            // the image history entry
//	    "owners": {"/home/nonroot": "65532:65532"}, // uid:gid per path; every other entry is 0:0
//	    "capabilities": {"/coredns-netbind": ["CAP_NET_BIND_SERVICE"]} // file capabilities, +ep
//	  }],
//	  "config": {"Entrypoint": [...], "Cmd": [...], "User": "65532:65532", "Env": [...], "WorkingDir": "/", ...}
//	}
//
// Layers are reproducible: entries sorted, mtime 0, numeric owners only, permission bits
// (with setuid/setgid/sticky) from the tree. A file capability travels as the PAX record
// SCHILY.xattr.security.capability holding the kernel's vfs_cap_data (revision 2), which is
// what containerd (and Docker) set as the security.capability xattr when unpacking.
package main

import (
	"archive/tar"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type layerSpec struct {
	Dir          string              `json:"dir"`
	Comment      string              `json:"comment"`
	Owners       map[string]string   `json:"owners"`
	Capabilities map[string][]string `json:"capabilities"`
}

type spec struct {
	Ref    string      `json:"ref"`
	Output string      `json:"output"`
	Layers []layerSpec `json:"layers"`
	Config v1.Config   `json:"config"`
}

// Capability numbers from linux/capability.h, for the names our images use.
var capabilityBits = map[string]uint{
	"CAP_CHOWN":            0,
	"CAP_DAC_OVERRIDE":     1,
	"CAP_SETGID":           6,
	"CAP_SETUID":           7,
	"CAP_NET_BIND_SERVICE": 10,
	"CAP_NET_ADMIN":        12,
	"CAP_NET_RAW":          13,
	"CAP_SYS_ADMIN":        21,
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: imagetar <spec.json>")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "imagetar: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func run(specPath string) error {
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	var s spec
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("parsing the spec: %w", err)
	}
	tag, err := name.NewTag(s.Ref, name.StrictValidation)
	if err != nil {
		return fmt.Errorf("ref %q is not a full image reference with a tag: %w", s.Ref, err)
	}
	if len(s.Layers) == 0 {
		return fmt.Errorf("no layers")
	}
	workDir := filepath.Dir(s.Output)
	var adds []mutate.Addendum
	for i, l := range s.Layers {
		layerPath := fmt.Sprintf("%s.layer%d.tar", s.Output, i)
		if err := writeLayer(l, layerPath); err != nil {
			return fmt.Errorf("layer %d (%s): %w", i, l.Dir, err)
		}
		defer os.Remove(layerPath)
		layer, err := tarball.LayerFromFile(layerPath, tarball.WithCompressedCaching)
		if err != nil {
			return err
		}
		adds = append(adds, mutate.Addendum{Layer: layer, History: v1.History{CreatedBy: "tools/images/build.sh", Comment: l.Comment, Created: v1.Time{Time: time.Unix(0, 0).UTC()}}})
	}
	img, err := mutate.Append(empty.Image, adds...)
	if err != nil {
		return err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cfg = cfg.DeepCopy()
	cfg.Architecture = "amd64"
	cfg.OS = "linux"
	cfg.Created = v1.Time{Time: time.Unix(0, 0).UTC()}
	cfg.Config = s.Config
	img, err = mutate.ConfigFile(img, cfg)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(workDir, ".imagetar-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tarball.Write(tag, img, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.Output)
}

// writeLayer tars the tree l.Dir as the layer's root, reproducibly.
func writeLayer(l layerSpec, out string) error {
	var paths []string
	err := filepath.WalkDir(l.Dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != l.Dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(paths)
	seen := map[string]bool{}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	for _, p := range paths {
		rel, err := filepath.Rel(l.Dir, p)
		if err != nil {
			return err
		}
		imagePath := "/" + filepath.ToSlash(rel)
		seen[imagePath] = true
		if err := addEntry(tw, l, p, imagePath); err != nil {
			return fmt.Errorf("%s: %w", imagePath, err)
		}
	}
	for p := range l.Owners {
		if !seen[p] {
			return fmt.Errorf("owners names %s, which is not in the tree", p)
		}
	}
	for p := range l.Capabilities {
		if !seen[p] {
			return fmt.Errorf("capabilities names %s, which is not in the tree", p)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func addEntry(tw *tar.Writer, l layerSpec, src, imagePath string) error {
	info, err := os.Lstat(src)
	if err != nil {
		return err
	}
	hdr := &tar.Header{
		Name:    strings.TrimPrefix(imagePath, "/"),
		Mode:    int64(info.Mode().Perm()),
		ModTime: time.Unix(0, 0),
		Format:  tar.FormatPAX,
	}
	if info.Mode()&fs.ModeSetuid != 0 {
		hdr.Mode |= 0o4000
	}
	if info.Mode()&fs.ModeSetgid != 0 {
		hdr.Mode |= 0o2000
	}
	if info.Mode()&fs.ModeSticky != 0 {
		hdr.Mode |= 0o1000
	}
	if owner, ok := l.Owners[imagePath]; ok {
		if hdr.Uid, hdr.Gid, err = parseOwner(owner); err != nil {
			return err
		}
	}
	switch {
	case info.Mode().IsDir():
		hdr.Typeflag = tar.TypeDir
		hdr.Name += "/"
	case info.Mode()&fs.ModeSymlink != 0:
		hdr.Typeflag = tar.TypeSymlink
		if hdr.Linkname, err = os.Readlink(src); err != nil {
			return err
		}
	case info.Mode().IsRegular():
		hdr.Typeflag = tar.TypeReg
		hdr.Size = info.Size()
	default:
		return fmt.Errorf("unsupported file type %s", info.Mode().Type())
	}
	if caps, ok := l.Capabilities[imagePath]; ok {
		if hdr.Typeflag != tar.TypeReg {
			return fmt.Errorf("file capabilities need a regular file")
		}
		xattr, err := vfsCapData(caps)
		if err != nil {
			return err
		}
		hdr.PAXRecords = map[string]string{"SCHILY.xattr.security.capability": string(xattr)}
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(tw, in)
	return err
}

func parseOwner(s string) (int, int, error) {
	u, g, ok := strings.Cut(s, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if !ok || err1 != nil || err2 != nil || uid < 0 || gid < 0 {
		return 0, 0, fmt.Errorf("owner %q is not numeric uid:gid", s)
	}
	return uid, gid, nil
}

// vfsCapData encodes capabilities as permitted and effective (setcap's "+ep") in the kernel's
// struct vfs_cap_data, revision 2: magic_etc, then {permitted, inheritable} for bits 0-31 and
// 32-63, little-endian.
func vfsCapData(names []string) ([]byte, error) {
	const revision2, effective = 0x02000000, 0x000001
	var permitted uint64
	for _, n := range names {
		bit, ok := capabilityBits[n]
		if !ok {
			return nil, fmt.Errorf("unknown capability %q: add its number to capabilityBits", n)
		}
		permitted |= 1 << bit
	}
	buf := make([]byte, 20)
	binary.LittleEndian.PutUint32(buf[0:], revision2|effective)
	binary.LittleEndian.PutUint32(buf[4:], uint32(permitted))
	binary.LittleEndian.PutUint32(buf[8:], 0)
	binary.LittleEndian.PutUint32(buf[12:], uint32(permitted>>32))
	binary.LittleEndian.PutUint32(buf[16:], 0)
	return buf, nil
}
