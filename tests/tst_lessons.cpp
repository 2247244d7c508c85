// Lessons without a window: every bundled file parses, a broken file is
// reported with its name and line while the others load, and each check
// fires on the figures of its moment and not before.
#include "lessons/lessoncatalog.h"
#include "lessons/lessoncheck.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;

namespace {
LatencyHistogram samples(qint64 count, double ms) {
    LatencyHistogram h;
    for (qint64 i = 0; i < count; ++i)
        h.record(qint64(ms * 1e6));
    return h;
}

const Lesson& bundled(int number) {
    static const LessonCatalog catalog = LessonCatalog::load();
    const Lesson* lesson = catalog.find(number);
    Q_ASSERT(lesson);
    return *lesson;
}

/// Feeds `windows` observations of `perWindow` answers at `ms`, 100 ms apart.
void feed(LessonCheck& check, double& at, LessonObservation o, int windows, qint64 perWindow,
          double ms) {
    for (int i = 0; i < windows; ++i) {
        at += 100;
        o.atMs = at;
        o.checkout = samples(perWindow, ms);
        check.observe(o);
    }
}

/// The two seconds after a change, with a transient the check must not count.
void settle(LessonCheck& check, double& at, const LessonObservation& o) {
    feed(check, at, o, 20, 50, 999.0);
}

void write(const QString& path, const QByteArray& text) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}
} // namespace

class TestLessons final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyBundledLessonParses() {
        const LessonCatalog catalog = LessonCatalog::load();
        QStringList problems;
        for (const LessonProblem& problem : catalog.problems)
            problems.append(problem.text());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QVERIFY(catalog.lessons.size() >= 5);
        for (qsizetype i = 0; i < catalog.lessons.size(); ++i) {
            const Lesson& lesson = catalog.lessons.at(i);
            QCOMPARE(lesson.number, int(i + 1));
            QVERIFY(!lesson.title.isEmpty());
            QVERIFY(!lesson.explanation.isEmpty());
            QVERIFY(!lesson.todo.isEmpty());
            QVERIFY(!lesson.watch.isEmpty());
            QVERIFY(!lesson.highlights.isEmpty());
        }
        QCOMPARE(bundled(1).setup.architecture, ArchitectureMode::Crud);
        QCOMPARE(bundled(1).setup.ordersAtLeast, 20000);
        QCOMPARE(bundled(4).setup.consistency, ConsistencyMode::ReadYourWrites);
        QCOMPARE(bundled(3).setup.delayMs, 1500);
    }

    void aBrokenFileIsNamedWithItsLineAndTheOthersLoad_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("says");
        QFile good(QStringLiteral(":/lessons/03-eventual-consistency.md"));
        QVERIFY(good.open(QIODevice::ReadOnly));
        const QByteArray text = good.readAll();
        QByteArray unknownKey = text;
        unknownKey.replace("setup.jitter: 0", "setup.gitter: 0");
        QTest::newRow("unknown key") << unknownKey << 8 << QStringLiteral("setup.gitter");
        QByteArray badValue = text;
        badValue.replace("setup.delay: 1500", "setup.delay: lots");
        QTest::newRow("bad number") << badValue << 7 << QStringLiteral("\"lots\"");
        QByteArray badMode = text;
        badMode.replace("setup.architecture: physical", "setup.architecture: mainframe");
        QTest::newRow("bad mode") << badMode << 4 << QStringLiteral("mainframe");
        QByteArray figure = text;
        figure.replace("{pending_ms}", "{pendng_ms}");
        QTest::newRow("unknown figure") << figure << 15 << QStringLiteral("{pendng_ms}");
        QByteArray missing = text;
        missing.replace("setup.traffic: 0\n", "");
        QTest::newRow("missing knob") << missing << 15 << QStringLiteral("setup.traffic");
        QByteArray unclosed = text;
        unclosed.replace("\n---\nA command", "\nA command");
        QTest::newRow("no closing line") << unclosed << 0 << QStringLiteral("closing");
        QByteArray noWatch = text;
        noWatch.truncate(noWatch.indexOf("## Watch"));
        QTest::newRow("no watch") << noWatch << 0 << QStringLiteral("## Watch");
        QTest::newRow("not a lesson") << QByteArray("hello\n") << 1 << QStringLiteral("header");
        QByteArray twice = text;
        twice.replace("setup.jitter: 0", "setup.jitter: 0\nsetup.delay: 10");
        QTest::newRow("given twice") << twice << 9 << QStringLiteral("twice");
        QTest::newRow("not UTF-8") << QByteArray("---\ntitle: \xff\xfe\n---\n") << 0
                                   << QStringLiteral("UTF-8");
    }

    void aBrokenFileIsNamedWithItsLineAndTheOthersLoad() {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, says);
        QTemporaryDir dir;
        QVERIFY(QFile::copy(QStringLiteral(":/lessons/01-one-model.md"),
                            dir.filePath(QStringLiteral("01-one-model.md"))));
        write(dir.filePath(QStringLiteral("02-broken.md")), text);
        const LessonCatalog catalog = LessonCatalog::load(dir.path());
        QCOMPARE(catalog.lessons.size(), 1);
        QCOMPARE(catalog.lessons.first().number, 1);
        QCOMPARE(catalog.problems.size(), 1);
        const LessonProblem& problem = catalog.problems.first();
        QCOMPARE(problem.fileName, QStringLiteral("02-broken.md"));
        if (line > 0)
            QCOMPARE(problem.line, line);
        QVERIFY2(problem.text().contains(says), qPrintable(problem.text()));
        QVERIFY2(problem.text().startsWith(QStringLiteral("02-broken.md")), qPrintable(problem.text()));
    }

    void twoFilesWithOneNumberKeepTheFirst() {
        QTemporaryDir dir;
        QVERIFY(QFile::copy(QStringLiteral(":/lessons/01-one-model.md"), dir.filePath(QStringLiteral("a.md"))));
        QVERIFY(QFile::copy(QStringLiteral(":/lessons/01-one-model.md"), dir.filePath(QStringLiteral("b.md"))));
        const LessonCatalog catalog = LessonCatalog::load(dir.path());
        QCOMPARE(catalog.lessons.size(), 1);
        QCOMPARE(catalog.problems.size(), 1);
        QVERIFY(catalog.problems.first().text().contains(QStringLiteral("already a.md")));
    }

    void checkoutSlowsOnlyOnceTheReportsRun() {
        LessonCheck check(bundled(1));
        LessonObservation o;
        o.architecture = ArchitectureMode::Crud;
        o.ordersInStore = 20'000;
        double at = 0;
        // Still filling: nothing counts.
        o.filling = true;
        feed(check, at, o, 10, 50, 2.0);
        QVERIFY(check.progress().contains(QStringLiteral("Filling")));
        o.filling = false;
        settle(check, at, o);
        QVERIFY2(check.progress().contains(QStringLiteral("settle")), qPrintable(check.progress()));
        feed(check, at, o, 13, 50, 2.0); // 650 answers without reports
        QVERIFY(!check.seen());
        QVERIFY2(check.progress().contains(QStringLiteral("start the analytics")), qPrintable(check.progress()));
        o.analyticsRate = 5;
        settle(check, at, o);
        feed(check, at, o, 11, 50, 50.0); // 550: not enough yet
        QVERIFY(!check.seen());
        feed(check, at, o, 1, 50, 50.0);
        QVERIFY(check.seen());
        QCOMPARE(check.message(), QStringLiteral("Checkout p99 went from 2.0 ms to 50.0 ms once 5 reports a second "
                                                 "read the same tables (20,000 orders in the store)."));
    }

    void checkoutNoSlowerUnderReportsIsNotSeen() {
        LessonCheck check(bundled(1));
        LessonObservation o;
        o.architecture = ArchitectureMode::Crud;
        o.ordersInStore = 20'000;
        double at = 0;
        settle(check, at, o);
        feed(check, at, o, 13, 50, 2.0);
        o.analyticsRate = 5;
        settle(check, at, o);
        feed(check, at, o, 20, 50, 2.6); // 1.3 times as slow: not the lesson's 1.5
        QVERIFY(!check.seen());
        QVERIFY2(check.progress().contains(QStringLiteral("not 1.5 times apart")), qPrintable(check.progress()));
        // In a CQRS mode the reports do not count for this lesson.
        o.architecture = ArchitectureMode::Physical;
        feed(check, at, o, 20, 50, 80.0);
        QVERIFY(!check.seen());
    }

    void checkoutRecoversWhenTheModelsSplit() {
        LessonCheck check(bundled(2));
        LessonObservation o;
        o.architecture = ArchitectureMode::Crud;
        o.analyticsRate = 5;
        o.ordersInStore = 20'000;
        double at = 0;
        settle(check, at, o);
        feed(check, at, o, 13, 50, 60.0);
        QVERIFY(!check.seen());
        o.architecture = ArchitectureMode::Logical;
        settle(check, at, o);
        feed(check, at, o, 11, 50, 1.5);
        QVERIFY(!check.seen());
        feed(check, at, o, 1, 50, 1.5);
        QVERIFY(check.seen());
        QVERIFY2(check.message().contains(QStringLiteral("from 60.0 ms in CRUD to 1.5 ms with CQRS (one file)")),
                 qPrintable(check.message()));
    }

    void synchronousUpdateCostsCheckout() {
        LessonCheck check(bundled(5));
        LessonObservation o;
        double at = 0;
        settle(check, at, o);
        feed(check, at, o, 12, 50, 0.8);
        QVERIFY(!check.seen());
        QVERIFY(check.progress().contains(QStringLiteral("synchronous")));
        o.synchronousActive = true;
        settle(check, at, o);
        feed(check, at, o, 11, 50, 2.4);
        QVERIFY(!check.seen()); // 550 answers
        feed(check, at, o, 1, 50, 2.4);
        QVERIFY(check.seen());
        QVERIFY2(check.message().contains(QStringLiteral("from 0.80 ms to 2.4 ms")), qPrintable(check.message()));
        QVERIFY2(check.message().contains(QStringLiteral("(500 and 500 orders a second")), qPrintable(check.message()));
    }

    void aBacklogIsNotCheckout() {
        LessonCheck check(bundled(5));
        LessonObservation o;
        o.commandsQueued = 5'000; // a reopened store working off its queue
        double at = 0;
        feed(check, at, o, 40, 50, 0.8);
        QVERIFY2(check.progress().contains(QStringLiteral("queue")), qPrintable(check.progress()));
        o.commandsQueued = 3;
        settle(check, at, o);
        QVERIFY2(check.progress().contains(QStringLiteral("settle")), qPrintable(check.progress()));
        feed(check, at, o, 1, 50, 0.8); // the first window after the backlog and the settling
        QVERIFY2(check.progress().contains(QStringLiteral("50 of 600")), qPrintable(check.progress()));
    }

    void anOrderMustStayPendingLongEnoughToBeSeen() {
        LessonCheck check(bundled(3));
        check.ownOrderAccepted(7, 71, ConsistencyMode::Eventual, 1000);
        check.ordersShown(70, false, 1, 1100); // an answer from before the order
        QVERIFY(!check.seen());
        QVERIFY(check.progress().contains(QStringLiteral("position 71")));
        check.ordersShown(71, false, 1, 1200); // 200 ms: too quick to watch
        QVERIFY(!check.seen());
        QVERIFY2(check.progress().contains(QStringLiteral("200 ms only")), qPrintable(check.progress()));
        check.ownOrderAccepted(8, 72, ConsistencyMode::Eventual, 2000);
        check.ordersShown(72, false, 1, 3535);
        QVERIFY(check.seen());
        QCOMPARE(check.message(), QStringLiteral("Order 8 was committed at position 72 and stayed pending for "
                                                 "1,535 ms before the orders view showed it."));
    }

    void readYourWritesQuotesTheWait() {
        LessonCheck check(bundled(4));
        check.ownOrderAccepted(9, 80, ConsistencyMode::ReadYourWrites, 0);
        check.ordersShown(80, false, 2, 1600); // an eventual read: not the technique
        QVERIFY(!check.seen());
        check.ordersShown(80, true, 1493.4, 1600);
        QVERIFY(check.seen());
        QVERIFY2(check.message().contains(QStringLiteral("waited 1,493 ms")), qPrintable(check.message()));
        // An eventual order does not count for lesson 4.
        LessonCheck other(bundled(4));
        other.ownOrderAccepted(10, 81, ConsistencyMode::Eventual, 0);
        other.ordersShown(81, true, 1500, 1500);
        QVERIFY(!other.seen());
    }
};

QTEST_GUILESS_MAIN(TestLessons)
#include "tst_lessons.moc"
