//! git's credential request, through the whole helper loop: never a panic; an answer only for
//! an https CodeCommit host with a path; nothing written on any error.
#![no_main]

use codecommit_protocol::{Answer, HostCheck, Outcome, SignTarget, Signer, serve};
use libfuzzer_sys::fuzz_target;

struct Check;

impl Signer for Check {
    type Error = ();
    fn sign(&mut self, target: &SignTarget) -> Result<Answer, ()> {
        assert!(!target.path().is_empty());
        Ok(Answer {
            username: "AKID".to_owned(),
            password: "PW".to_owned(),
            password_expiry_utc: 1,
        })
    }
}

fuzz_target!(|input: &[u8]| {
    for host_check in [HostCheck::CodeCommitOnly, HostCheck::Any] {
        let mut out = Vec::new();
        match serve("get", host_check, input, &mut out, &mut Check) {
            Ok(Outcome::Answered) => {
                assert_eq!(out, b"username=AKID\npassword=PW\npassword_expiry_utc=1\n");
            }
            _ => assert!(out.is_empty(), "wrote to git without answering"),
        }
    }
});
