// The command line, twice: parseCommandLine() row by row (fast, exact), and
// the built cqrs-lab program end to end through QProcess, because exit codes,
// which stream the usage goes to and the headless summary are only visible
// from outside the process.
#include "cli/commandline.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#ifndef CQRS_LAB_EXECUTABLE
#error "CQRS_LAB_EXECUTABLE must name the built cqrs-lab program"
#endif

using namespace cqrs;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    bool finished = false;
};

// Runs the program to completion; the timeout only guards against a hang.
Run runProgram(const QStringList& arguments)
{
    QProcess process;
    process.setProgram(QStringLiteral(CQRS_LAB_EXECUTABLE));
    process.setArguments(arguments);
    process.start();
    Run run;
    run.finished = process.waitForStarted(20000) && process.waitForFinished(60000)
                   && process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QStringList args(std::initializer_list<const char16_t*> list)
{
    QStringList result{QStringLiteral("cqrs-lab")};
    for (const char16_t* arg : list)
        result.append(QString::fromUtf16(arg));
    return result;
}

} // namespace

class TestCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValidCommandLines()
    {
        CommandLine line = parseCommandLine(args({}));
        QCOMPARE(line.action, CommandLine::Action::RunGui);
        QCOMPARE(line.exitCode(), 0);
        QVERIFY(!line.headlessRequested);
        QVERIFY(line.dbDir.isEmpty());
        QCOMPARE(line.headless.durationS, 10.0);
        QCOMPARE(line.headless.ratePerS, 500.0);
        QCOMPARE(line.headless.seed, 1u);
        QCOMPARE(line.headless.scenario, QStringLiteral("steady"));
        QCOMPARE(line.headless.projectorThreads, 1);

        line = parseCommandLine(args({u"--headless", u"--duration", u"1.5", u"--rate", u"200",
                                      u"--db-dir", u"/tmp/lab", u"--seed", u"7", u"--scenario", u"mixed"}));
        QCOMPARE(line.action, CommandLine::Action::RunHeadless);
        QCOMPARE(line.exitCode(), 0);
        QVERIFY(line.headlessRequested);
        QCOMPARE(line.dbDir, QStringLiteral("/tmp/lab"));
        QCOMPARE(line.headless.dbDir, QStringLiteral("/tmp/lab"));
        QCOMPARE(line.headless.durationS, 1.5);
        QCOMPARE(line.headless.ratePerS, 200.0);
        QCOMPARE(line.headless.seed, 7u);
        QCOMPARE(line.headless.scenario, QStringLiteral("mixed"));
        QCOMPARE(parseCommandLine(args({u"--headless", u"--projector-threads", u"5"})).headless.projectorThreads, 5);

        // The limits themselves are allowed.
        line = parseCommandLine(args({u"--headless", u"--duration=0.1", u"--rate=0"}));
        QCOMPARE(line.action, CommandLine::Action::RunHeadless);
        line = parseCommandLine(args({u"--headless", u"--duration=86400", u"--rate=10000"}));
        QCOMPARE(line.action, CommandLine::Action::RunHeadless);
    }

    void helpAndVersion()
    {
        for (const QStringList& arguments : {args({u"--help"}), args({u"-h"}), args({u"--headless", u"--help"})}) {
            const CommandLine line = parseCommandLine(arguments);
            QCOMPARE(line.action, CommandLine::Action::ShowHelp);
            QCOMPARE(line.exitCode(), 0);
            for (const QString& option : {QStringLiteral("--headless"), QStringLiteral("--duration"),
                                          QStringLiteral("--rate"), QStringLiteral("--db-dir")})
                QVERIFY2(line.text.contains(option), qPrintable(option));
            QVERIFY(line.text.startsWith(QStringLiteral("Usage: ")));
        }
        QCOMPARE(parseCommandLine(args({u"--version"})).action, CommandLine::Action::ShowVersion);
    }

    void rejectsBadCommandLines_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << args({u"--bogus"}) << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("positional") << args({u"extra"}) << QStringLiteral("Unexpected argument: extra");
        QTest::newRow("rate not a number") << args({u"--rate", u"abc"}) << QStringLiteral("--rate must be");
        QTest::newRow("rate negative") << args({u"--rate", u"-1"}) << QStringLiteral("--rate must be");
        QTest::newRow("rate too high") << args({u"--rate", u"10001"}) << QStringLiteral("--rate must be");
        QTest::newRow("rate nan") << args({u"--rate", u"nan"}) << QStringLiteral("--rate must be");
        QTest::newRow("rate missing value") << args({u"--rate"}) << QStringLiteral("Missing value after '--rate'");
        QTest::newRow("duration zero") << args({u"--duration", u"0"}) << QStringLiteral("--duration must be");
        QTest::newRow("duration text") << args({u"--duration", u"long"}) << QStringLiteral("--duration must be");
        QTest::newRow("duration too long") << args({u"--duration", u"86401"}) << QStringLiteral("--duration must be");
        QTest::newRow("seed negative") << args({u"--seed", u"-1"}) << QStringLiteral("--seed must be");
        QTest::newRow("seed text") << args({u"--seed", u"x"}) << QStringLiteral("--seed must be");
        QTest::newRow("scenario") << args({u"--scenario", u"chaos"})
                                  << QStringLiteral("Unknown scenario \"chaos\"");
        QTest::newRow("empty db dir") << args({u"--db-dir", u" "}) << QStringLiteral("--db-dir needs a directory.");
        QTest::newRow("projector threads zero") << args({u"--projector-threads", u"0"})
                                                << QStringLiteral("--projector-threads must be");
        QTest::newRow("projector threads six") << args({u"--projector-threads", u"6"})
                                               << QStringLiteral("--projector-threads must be");
        QTest::newRow("rate twice") << args({u"--rate", u"5", u"--rate", u"6"})
                                    << QStringLiteral("--rate was given 2 times (5, 6): give it once.");
        QTest::newRow("db dir twice") << args({u"--db-dir", u"/a", u"--seed", u"1", u"--db-dir", u"/b"})
                                      << QStringLiteral("--db-dir was given 2 times (/a, /b)");
        QTest::newRow("flag twice") << args({u"--headless", u"--headless"})
                                    << QStringLiteral("--headless was given more than once");
        QTest::newRow("projector threads fraction") << args({u"--projector-threads", u"1.5"})
                                                    << QStringLiteral("--projector-threads must be");
    }

    void rejectsBadCommandLines()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CommandLine line = parseCommandLine(arguments);
        QCOMPARE(line.action, CommandLine::Action::Error);
        QCOMPARE(line.exitCode(), 2);
        QVERIFY2(line.text.startsWith(message), qPrintable(line.text));
        // The message is followed by the usage, so the user sees what is allowed.
        // (Only "Usage: ": inside this test a QCoreApplication exists, and the
        // usage then names the test binary instead of cqrs-lab.)
        QVERIFY2(line.text.contains(QStringLiteral("\n\nUsage: ")), qPrintable(line.text));
        QVERIFY2(line.text.contains(QStringLiteral("--headless")), qPrintable(line.text));
    }

    void programRejectsUnknownOption()
    {
        const Run run = runProgram({QStringLiteral("--bogus")});
        QVERIFY(run.finished);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("Unknown option 'bogus'")), qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("Usage: cqrs-lab")), qPrintable(run.err));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    }

    void programShowsHelp()
    {
        const Run run = runProgram({QStringLiteral("--help")});
        QVERIFY(run.finished);
        QCOMPARE(run.exitCode, 0);
        for (const QString& option : {QStringLiteral("--headless"), QStringLiteral("--duration"),
                                      QStringLiteral("--rate"), QStringLiteral("--db-dir")})
            QVERIFY2(run.out.contains(option), qPrintable(run.out));
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    }

    void programRejectsBadRate()
    {
        const Run run = runProgram({QStringLiteral("--rate"), QStringLiteral("abc")});
        QVERIFY(run.finished);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--rate must be")), qPrintable(run.err));
    }

    void programRunsHeadless()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString dbDir = dir.filePath(QStringLiteral("data"));
        const Run run = runProgram({QStringLiteral("--headless"), QStringLiteral("--duration"),
                                    QStringLiteral("1"), QStringLiteral("--rate"), QStringLiteral("200"),
                                    QStringLiteral("--db-dir"), dbDir});
        QVERIFY2(run.finished, qPrintable(run.err));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("orders accepted")), qPrintable(run.out));
        QVERIFY(QFileInfo(QDir(dbDir).filePath(QStringLiteral("write.db"))).isFile());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
