import LTFUL10n

/// The reader's words (SPEC §15): every text ltfuctl prints for a person goes through `tr`, in
/// the language `LC_ALL`, `LC_MESSAGES` or `LANG` asks for (``Ctl/language``). `--json`, CSV,
/// exit codes and error codes never pass through it.
let tr = Localizer(Ctl.language)
