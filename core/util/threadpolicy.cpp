#include "util/threadpolicy.h"

#include <QtGlobal>

#if defined(Q_OS_LINUX)
#include <pthread.h>
#include <sched.h>
#endif

namespace cqrs {

bool runAsBackgroundThread()
{
#if defined(Q_OS_LINUX)
    sched_param param{};
    param.sched_priority = 0; // the only priority SCHED_BATCH accepts
    return pthread_setschedparam(pthread_self(), SCHED_BATCH, &param) == 0;
#else
    return false;
#endif
}

} // namespace cqrs
