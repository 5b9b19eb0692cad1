//! The config editor: never a panic; a file it reads and edits renders with every byte before
//! the edit kept, and reads back with the pushed value.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let dir = std::env::temp_dir().join(format!("codecommit-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("config");
    if std::fs::write(&path, input).is_err() {
        return;
    }
    let Ok(mut file) = codecommit_gitconfig::ConfigFile::read(&path) else {
        return;
    };
    let sub = Some("https://git-codecommit.*.amazonaws.com");
    let _ = file.remove_values("credential", sub, "helper", |v| v.is_empty());
    if file.push("credential", sub, "helper", "codecommit").is_ok() {
        let edited = dir.join("edited");
        if std::fs::write(&edited, file.render()).is_err() {
            return;
        }
        if let Ok(again) = codecommit_gitconfig::ConfigFile::read(&edited) {
            assert!(
                again
                    .values("credential", sub, "helper")
                    .iter()
                    .any(|v| v == "codecommit"),
                "the pushed value does not read back"
            );
        }
    }
});
