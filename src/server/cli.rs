//! Command-line interface.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "quire",
    version,
    about = "A blog engine: Markdown in content/, a fast live site out of one binary."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the blog (the default when no command is given).
    Serve(ServeArgs),
    /// Check every post in the content directory and report every problem.
    Check(CheckArgs),
    /// Write a new post with front matter into the content directory.
    New(NewArgs),
    /// Append the client bundle and default content to a copy of this binary (build step).
    #[command(hide = true)]
    Pack(PackArgs),
}

#[derive(Debug, Args, Default)]
pub struct ContentArg {
    /// Directory of Markdown posts [default: ./content, else the bundled demo content].
    #[arg(long, env = "QUIRE_CONTENT")]
    pub content: Option<PathBuf>,
}

/// Where the site settings are.
#[derive(Debug, Args, Default)]
pub struct ConfigArg {
    /// Site settings file [default: ./quire.toml when present, else built-in defaults].
    #[arg(long, env = "QUIRE_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub content: ContentArg,
    #[command(flatten)]
    pub config: ConfigArg,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub content: ContentArg,
    #[command(flatten)]
    pub config: ConfigArg,
    /// Directory for the store and other files Quire manages.
    #[arg(long, env = "QUIRE_DATA", default_value = "data")]
    pub data: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "QUIRE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Show draft posts.
    #[arg(long)]
    pub drafts: bool,
    /// Refresh open pages when the post they show changes (for authors at their desk).
    #[arg(long)]
    pub live_reload: bool,
    /// Per-client limits (quire.toml settings of the same names).
    #[command(flatten)]
    pub limits: super::client_limits::LimitArgs,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            content: ContentArg::default(),
            config: ConfigArg::default(),
            data: PathBuf::from("data"),
            addr: ([127, 0, 0, 1], 8080).into(),
            drafts: false,
            live_reload: false,
            limits: Default::default(),
        }
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The post's title.
    pub title: String,
    #[arg(long)]
    pub category: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Directory of Markdown posts.
    #[arg(long, env = "QUIRE_CONTENT", default_value = "content")]
    pub content: PathBuf,
}

#[derive(Debug, Args)]
pub struct PackArgs {
    /// The dx-built `public/` directory.
    #[arg(long)]
    pub public: PathBuf,
    /// The content to ship as the default site.
    #[arg(long)]
    pub content: PathBuf,
    /// A folder with the default site's `quire.toml` (its title, tagline…),
    /// used only when that content is served without settings of the owner's.
    #[arg(long)]
    pub demo: Option<PathBuf>,
    /// Where to write the packed binary.
    #[arg(long)]
    pub out: PathBuf,
}
