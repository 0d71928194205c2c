// The parts of libsystemd ltfud uses: the journal's native protocol (sd_journal_sendv;
// sd_journal_send is variadic and cannot be called from Swift) and the service manager
// notifications (sd_notify, sd_watchdog_enabled).
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
