#include "cli/commandline.h"

#include "lessons/lessoncatalog.h"

#include <QCommandLineParser>

#include <cmath>

namespace cqrs {

namespace {

bool parseNumber(const QString& text, double minimum, double maximum, double* value)
{
    bool ok = false;
    const double parsed = text.toDouble(&ok);
    if (!ok || parsed < minimum || parsed > maximum || parsed != parsed)
        return false;
    *value = parsed;
    return true;
}

// helpText() names the program from QCoreApplication, which may not exist yet.
QString usage(const QCommandLineParser& parser)
{
    QString text = parser.helpText();
    text.replace(QStringLiteral("<executable_name>"), QStringLiteral("cqrs-lab"));
    return text;
}

} // namespace

CommandLine parseCommandLine(const QStringList& arguments)
{
    CommandLine result;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "CQRS Lab: place orders on the write side and watch the read side catch up.\n"
        "Without --headless it opens the desktop window."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version(QStringLiteral("version"),
                                     QStringLiteral("Show the version and exit."));
    const QCommandLineOption headless(
        QStringLiteral("headless"),
        QStringLiteral("Run without a window: place simulated orders and print a summary."));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Headless run length in seconds (default 10)."),
                                      QStringLiteral("SECONDS"), QStringLiteral("10"));
    const QCommandLineOption rate(QStringLiteral("rate"),
                                  QStringLiteral("Orders per second, 0-10000 (default 500)."),
                                  QStringLiteral("ORDERS_PER_S"), QStringLiteral("500"));
    const QCommandLineOption dbDir(
        QStringLiteral("db-dir"),
        QStringLiteral("Directory for write.db (default: the per-user data directory)."),
        QStringLiteral("DIR"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Random seed of the simulated traffic (default 1)."),
                                  QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption scenario(
        QStringLiteral("scenario"),
        QStringLiteral("Headless scenario: steady (orders only), mixed (orders, cancels, price "
                       "changes, restocks, some invalid orders), contention (mixed orders plus "
                       "analytics reports; every mode in turn unless --mode), catch-up (projections "
                       "paused while the orders arrive, then resumed) or rebuild (build the log, "
                       "then rebuild every view). Default steady."),
        QStringLiteral("NAME"), QStringLiteral("steady"));
    const QCommandLineOption mode(
        QStringLiteral("mode"),
        QStringLiteral("Architecture: crud (rollback journal, reports read write.db), logical (CQRS, "
                       "one file) or physical (CQRS, write.db and read.db); the CQRS modes use WAL. "
                       "Default physical (contention: all three in turn)."),
        QStringLiteral("MODE"), QStringLiteral("physical"));
    const QCommandLineOption update(
        QStringLiteral("update"),
        QStringLiteral("Read-model update: async (projectors) or sync (inside the command's "
                       "transaction). Default async."),
        QStringLiteral("async|sync"), QStringLiteral("async"));
    const QCommandLineOption delay(QStringLiteral("delay"),
                                   QStringLiteral("Injected projection delay in ms, 0-60000 (default 0)."),
                                   QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption analytics(
        QStringLiteral("analytics"),
        QStringLiteral("Analytics reports per second, 0-20 (default 0; 2 for contention)."),
        QStringLiteral("REPORTS_PER_S"));
    const QCommandLineOption preload(
        QStringLiteral("preload"),
        QStringLiteral("Orders placed before the measured traffic, unmeasured (default 100000 for "
                       "contention, else 0)."),
        QStringLiteral("ORDERS"));
    const QCommandLineOption projectorThreads(
        QStringLiteral("projector-threads"),
        QStringLiteral("Threads the five projectors share, 1-5 (default 1)."), QStringLiteral("N"),
        QStringLiteral("1"));
    const QCommandLineOption report(QStringLiteral("report"),
                                    QStringLiteral("Write a JSON report of the headless run to FILE."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption acceptedLog(
        QStringLiteral("accepted-log"),
        QStringLiteral("Append each accepted command (id, entity, position) to FILE once answered."),
        QStringLiteral("FILE"));
    const QCommandLineOption lesson(
        QStringLiteral("lesson"),
        QStringLiteral("Open the window on lesson N of the Lessons panel (1-%1).")
            .arg(LessonCatalog::load().lessons.size()),
        QStringLiteral("N"));
    parser.addOptions({help, version, headless, duration, rate, dbDir, seed, scenario, mode, update,
                       delay, analytics, preload, projectorThreads, report, acceptedLog, lesson});

    const auto fail = [&](const QString& message) {
        result.action = CommandLine::Action::Error;
        result.text = message + QStringLiteral("\n\n") + usage(parser);
        return result;
    };

    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("Unexpected argument: %1").arg(parser.positionalArguments().first()));
    // "--rate 5 --rate 6" would silently keep one of them: refuse it, naming both.
    const QStringList given = parser.optionNames();
    for (qsizetype i = 0; i < given.size(); ++i) {
        if (given.indexOf(given.at(i), i + 1) < 0)
            continue;
        const QStringList values = parser.values(given.at(i));
        return fail(values.size() > 1
                        ? QStringLiteral("--%1 was given %2 times (%3): give it once.")
                              .arg(given.at(i))
                              .arg(values.size())
                              .arg(values.join(QStringLiteral(", ")))
                        : QStringLiteral("--%1 was given more than once: give it once.")
                              .arg(given.at(i)));
    }
    if (parser.isSet(help)) {
        result.action = CommandLine::Action::ShowHelp;
        result.text = usage(parser);
        return result;
    }
    if (parser.isSet(version)) {
        result.action = CommandLine::Action::ShowVersion;
        return result;
    }

    result.dbDir = parser.value(dbDir);
    if (parser.isSet(dbDir) && result.dbDir.trimmed().isEmpty())
        return fail(QStringLiteral("--db-dir needs a directory."));
    result.headlessRequested = parser.isSet(headless);
    HeadlessOptions& options = result.headless;
    if (!parseNumber(parser.value(duration), 0.1, 24 * 3600, &options.durationS))
        return fail(QStringLiteral("--duration must be a number of seconds from 0.1 to 86400, not "
                                   "\"%1\".")
                        .arg(parser.value(duration)));
    if (!parseNumber(parser.value(rate), 0, 10'000, &options.ratePerS))
        return fail(QStringLiteral("--rate must be a number of orders per second from 0 to 10000, "
                                   "not \"%1\".")
                        .arg(parser.value(rate)));
    bool seedOk = false;
    options.seed = parser.value(seed).toUInt(&seedOk);
    if (!seedOk)
        return fail(QStringLiteral("--seed must be a whole number from 0 to 4294967295, not \"%1\".")
                        .arg(parser.value(seed)));
    options.scenario = parser.value(scenario);
    if (!headlessScenarios().contains(options.scenario))
        return fail(QStringLiteral("Unknown scenario \"%1\"; use %2.")
                        .arg(options.scenario, headlessScenarios().join(QStringLiteral(", "))));
    if (parser.isSet(preload)) {
        bool ok = false;
        const qint64 orders = parser.value(preload).toLongLong(&ok);
        if (!ok || orders < 0 || orders > 10'000'000)
            return fail(QStringLiteral("--preload must be a number of orders from 0 to 10000000, not \"%1\".")
                            .arg(parser.value(preload)));
        options.preloadOrders = orders;
    }
    if (parser.isSet(analytics)) {
        double reports = 0;
        if (!parseNumber(parser.value(analytics), 0, 20, &reports))
            return fail(QStringLiteral("--analytics must be a number of reports per second from 0 to 20, not \"%1\".")
                            .arg(parser.value(analytics)));
        options.analyticsPerS = reports;
    }
    const auto architecture = architectureModeFromName(parser.value(mode));
    if (!architecture)
        return fail(QStringLiteral("Unknown mode \"%1\"; use crud, logical or physical.")
                        .arg(parser.value(mode)));
    if (parser.isSet(mode))
        options.mode = *architecture;
    if (parser.value(update) != QStringLiteral("async") && parser.value(update) != QStringLiteral("sync"))
        return fail(QStringLiteral("Unknown update mode \"%1\"; use async or sync.").arg(parser.value(update)));
    options.synchronousUpdate = parser.value(update) == QStringLiteral("sync");
    double delayMs = 0;
    if (!parseNumber(parser.value(delay), 0, 60'000, &delayMs))
        return fail(QStringLiteral("--delay must be a number of milliseconds from 0 to 60000, not \"%1\".")
                        .arg(parser.value(delay)));
    options.delayMs = int(delayMs);
    double threads = 1;
    if (!parseNumber(parser.value(projectorThreads), 1, 5, &threads) || threads != std::floor(threads))
        return fail(QStringLiteral("--projector-threads must be a whole number from 1 to 5, not \"%1\".")
                        .arg(parser.value(projectorThreads)));
    options.projectorThreads = int(threads);
    options.reportPath = parser.value(report);
    if (parser.isSet(report) && options.reportPath.trimmed().isEmpty())
        return fail(QStringLiteral("--report needs a file name."));
    options.acceptedLogPath = parser.value(acceptedLog);
    if (parser.isSet(acceptedLog) && options.acceptedLogPath.trimmed().isEmpty())
        return fail(QStringLiteral("--accepted-log needs a file name."));
    if (parser.isSet(lesson)) {
        if (result.headlessRequested)
            return fail(QStringLiteral("--lesson opens the window: it cannot go with --headless."));
        const LessonCatalog lessons = LessonCatalog::load();
        bool ok = false;
        const int number = parser.value(lesson).toInt(&ok);
        if (!ok || !lessons.find(number)) {
            QStringList numbers;
            for (const Lesson& known : lessons.lessons)
                numbers.append(QString::number(known.number));
            return fail(QStringLiteral("--lesson must be the number of a lesson (%1), not \"%2\".")
                            .arg(numbers.join(QStringLiteral(", ")), parser.value(lesson)));
        }
        result.lesson = number;
    }
    options.dbDir = result.dbDir;
    result.action = result.headlessRequested ? CommandLine::Action::RunHeadless
                                             : CommandLine::Action::RunGui;
    return result;
}

} // namespace cqrs
