// CQRS Lab entry point: reads the command line, then runs either the desktop
// window or the headless simulation. Wiring only; the work lives in core/ and ui/.
#include "cli/commandline.h"
#include "lab/locallabsession.h"
#include "sim/headlessrun.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <QTextStream>

#include <cstdio>

namespace {

QStringList argumentsOf(int argc, char** argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

bool hasDisplay()
{
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        return true; // the user chose a platform (offscreen, xcb, wayland, ...)
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

QString dataDirectory(const QString& requested)
{
    if (!requested.isEmpty())
        return QDir(requested).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

int runHeadless(int argc, char** argv, cqrs::HeadlessOptions options)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTextStream err(stderr);
    cqrs::HeadlessRun run(std::move(options), out, err);
    QObject::connect(&run, &cqrs::HeadlessRun::finished, &app, &QCoreApplication::exit);
    run.start();
    return app.exec();
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("CQRS Lab"));
    QCoreApplication::setApplicationName(QStringLiteral("cqrs-lab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CQRS_LAB_VERSION));

    cqrs::CommandLine commandLine = cqrs::parseCommandLine(argumentsOf(argc, argv));
    switch (commandLine.action) {
    case cqrs::CommandLine::Action::Error:
        std::fputs(qUtf8Printable(commandLine.text), stderr);
        return commandLine.exitCode();
    case cqrs::CommandLine::Action::ShowHelp:
        std::fputs(qUtf8Printable(commandLine.text), stdout);
        return 0;
    case cqrs::CommandLine::Action::ShowVersion:
        std::printf("cqrs-lab %s\n", CQRS_LAB_VERSION);
        return 0;
    case cqrs::CommandLine::Action::RunHeadless:
    case cqrs::CommandLine::Action::RunGui:
        break;
    }

    cqrs::HeadlessOptions& headless = commandLine.headless;
    headless.dbDir = dataDirectory(commandLine.dbDir);
    if (commandLine.action == cqrs::CommandLine::Action::RunHeadless)
        return runHeadless(argc, argv, headless);

    if (!hasDisplay()) {
        std::fputs("No display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window "
                   "cannot open.\nRunning the headless demo instead; start cqrs-lab from a "
                   "desktop session to see the window.\n\n",
                   stderr);
        return runHeadless(argc, argv, headless);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("CQRS Lab"));
    // Closing hides the window at once; the program ends once the lab's
    // threads are joined, off the GUI thread.
    QApplication::setQuitOnLastWindowClosed(false);
    cqrs::ui::MainWindow window(headless.dbDir, cqrs::LocalLabSession::factory());
    QObject::connect(&window, &cqrs::ui::MainWindow::shutDownFinished, &app, &QCoreApplication::quit);
    if (commandLine.lesson > 0)
        window.openLesson(commandLine.lesson);
    window.show();
    return app.exec();
}
