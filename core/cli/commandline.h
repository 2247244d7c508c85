#pragma once

#include "sim/headlessrun.h"

#include <QString>
#include <QStringList>

namespace cqrs {

/// What the command line asked for.
struct CommandLine
{
    enum class Action { RunGui, RunHeadless, ShowHelp, ShowVersion, Error };

    Action action = Action::RunGui;
    /// Empty: the per-user data directory.
    QString dbDir;
    /// The lesson the window opens on (--lesson), 0 for the one kept.
    int lesson = 0;
    HeadlessOptions headless;
    /// --help text, or for Error the message followed by the usage.
    QString text;
    bool headlessRequested = false;

    /// 0 for a successful parse, 2 for a bad option (usage on stderr).
    int exitCode() const { return action == Action::Error ? 2 : 0; }
};

/// Parses the program's arguments (arguments.first() is the program name).
/// Works without a QCoreApplication so main() can pick the application type.
CommandLine parseCommandLine(const QStringList& arguments);

} // namespace cqrs
