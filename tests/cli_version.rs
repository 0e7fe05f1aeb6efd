//! `tqscore --version`: the release, the git revision and the build profile.

use assert_cmd::Command;

#[test]
fn long_version_names_the_git_revision_and_the_build_profile() {
    let out = Command::cargo_bin("tqscore").unwrap().arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let revision = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(|| "unknown".to_string(), |o| String::from_utf8(o.stdout).unwrap().trim().to_string());
    // This test runs from target/PROFILE/deps/, beside the binary of the same profile.
    let exe = std::env::current_exe().unwrap();
    let profile = exe.ancestors().nth(2).unwrap().file_name().unwrap().to_str().unwrap().to_string();
    let expected = format!(
        "tqscore {} (git {revision}, {profile} build; metrics exact to sacreBLEU 2.6.0)\n",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(text, expected);
    // -V stays the release alone, for scripts.
    let short = Command::cargo_bin("tqscore").unwrap().arg("-V").output().unwrap();
    assert_eq!(String::from_utf8(short.stdout).unwrap(), format!("tqscore {}\n", env!("CARGO_PKG_VERSION")));
}
