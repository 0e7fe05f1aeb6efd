//! Records the git revision and the build profile for `tqscore --version`
//! (`TQSCORE_GIT_REVISION`, `TQSCORE_BUILD_PROFILE`). Without git, or outside a
//! repository (a crates.io package), the revision is `unknown`; the build never fails.

use std::path::Path;
use std::process::Command;

/// `git ARGS` in the package directory, trimmed, if it succeeds.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let revision = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
    // Rebuild when HEAD moves: HEAD itself and the branch it points to (in a worktree, both live
    // in git's own directories, which `--git-path` finds).
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    for name in std::iter::once("HEAD".to_string()).chain(branch).chain(["packed-refs".to_string()]) {
        if let Some(path) = git(&["rev-parse", "--git-path", &name]).filter(|p| Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    // OUT_DIR is target/[TRIPLE/]PROFILE/build/PKG-HASH/out: the profile's directory names it
    // (`dist`, `release`, `debug` for dev and test).
    let profile = std::env::var("OUT_DIR")
        .ok()
        .and_then(|out| {
            Path::new(&out).ancestors().nth(3).and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| std::env::var("PROFILE").unwrap_or_else(|_| "unknown".into()));
    println!("cargo:rustc-env=TQSCORE_GIT_REVISION={revision}");
    println!("cargo:rustc-env=TQSCORE_BUILD_PROFILE={profile}");
}
