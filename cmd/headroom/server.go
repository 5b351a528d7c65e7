package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/headroom-dev/headroom/lsp"
)

// stdio is standard input and output as one stream.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }

// newServer is `headroom server`: the Language Server on stdin and stdout.
func newServer(stdin io.Reader, stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "server",
		Short: "Run the Language Server (LSP over stdio) for editors",
		Long: "server speaks the Language Server Protocol on stdin and stdout: each open document is\n" +
			"judged in its deployment (unsaved buffers in place of their files), with lint's findings\n" +
			"as diagnostics, fix's fixes as code actions and the model's figures on hover. It never\n" +
			"writes a file.",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			lsp.New().Serve(context.Background(), stdio{stdin, stdout})
			return nil
		},
	}
}
