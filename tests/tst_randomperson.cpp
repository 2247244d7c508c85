// A random person at the keyboard: a seeded stream of clicks, typing
// (hostile text included), keys, slider drags and mode switches on the real
// window, with simulated traffic running. It must end with no crash, every
// model's signals consistent with its data (QAbstractItemModelTester), no
// SQL or waiting on the GUI thread, and the views equal to the write store.
//
// CQRS_RANDOM_SEED and CQRS_RANDOM_ACTIONS override the fixed seed and the
// 2,000 actions ctest runs, CQRS_RANDOM_BUDGET_S its 480 s (0: none); scripts/random-person runs it
// longer under ASan (and without the model testers, CQRS_RANDOM_MODEL_TESTERS=0).
#include "readsupport.h"
#include "typing.h"
#include "windowsupport.h"

#include "ui/controlspanel.h"
#include "ui/dashboard.h"
#include "ui/lablifecycle.h"

#include <QAbstractItemModelTester>
#include <QAbstractSlider>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialog>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>

#include <random>

using namespace cqrs;
using namespace cqrs::test;
using namespace cqrs::ui;

namespace {
constexpr quint32 defaultSeed = 20'261'202;
constexpr int defaultActions = 2'000;
constexpr int defaultBudgetSeconds = 480; // within CTest's 900 s, with the settle and checks

int fromEnvironment(const char* name, int fallback) {
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok ? value : fallback;
}

/// Lets the window work for `ms` as a person's pause would (events run).
void pause(int ms) {
    QElapsedTimer clock;
    clock.start();
    const bool waited = QTest::qWaitFor([&clock, ms] { return clock.elapsed() >= ms; }, ms + 1000);
    Q_UNUSED(waited)
}

const QStringList hostileTexts = {
    QStringLiteral("Alice"),
    QStringLiteral("mug"),
    QStringLiteral("'; DROP TABLE orders; --"),
    QStringLiteral("\"unbalanced"),
    QStringLiteral("NEAR(a b) OR * AND -"),
    QStringLiteral("Zoë Ångström 陈伟 🚀"),
    QStringLiteral("مرحبا שלום"),
    QStringLiteral("\t\n\r"),
    QString(300, u'x'),
    QStringLiteral("%s %n %x {0} ${HOME}"),
    QStringLiteral("0"),
    QStringLiteral("-1"),
    QStringLiteral("99999999999999999999"),
    QStringLiteral("   "),
};
} // namespace

class TestRandomPerson final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void twoThousandActionsLeaveTheLabConsistent() {
        const quint32 seed = quint32(fromEnvironment("CQRS_RANDOM_SEED", int(defaultSeed)));
        const int actions = fromEnvironment("CQRS_RANDOM_ACTIONS", defaultActions);
        const int budgetSeconds = fromEnvironment("CQRS_RANDOM_BUDGET_S", defaultBudgetSeconds);
        qInfo("seed %u, %d actions", seed, actions);
        m_clock.start();
        m_random.seed(seed);
        QSettings().clear();
        ThreadAudit::clearViolations();
        QVERIFY(m_dir.isValid());
        m_window = openWindow(m_dir.path());
        m_window->resize(1500, 950);
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QVERIFY(waitForCatalog(m_window.get()));
        // QAbstractItemModelTester checks every row at every change; under
        // ASan that is what the run would spend its time on, so the long run
        // may leave it out (CQRS_RANDOM_MODEL_TESTERS=0).
        if (fromEnvironment("CQRS_RANDOM_MODEL_TESTERS", 1) != 0)
            watchModels();
        if (QTest::currentTestFailed())
            return;

        for (int i = 0; i < actions; ++i) {
            if (budgetSeconds > 0 && m_clock.elapsed() > budgetSeconds * 1000LL) {
                // A slow machine still gets the whole check below, on fewer actions.
                qWarning("stopping after %d of %d actions: the %d s budget is spent", i, actions,
                         budgetSeconds);
                break;
            }
            if (i % 250 == 0) { // the traffic a demo runs, changed now and then
                m_window->controls()->setTrafficRate(
                    std::array{150, 0, 400, 60}[size_t(i / 250 % 4)]);
                qInfo("action %d after %.0f s", i, double(m_clock.elapsed()) / 1000.0);
            }
            act();
            pause(std::uniform_int_distribution<int>(2, 12)(m_random));
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QStringLiteral("after action %1 (seed %2): %3")
                                     .arg(i)
                                     .arg(seed)
                                     .arg(m_lastAction)));
        }
        qInfo("actions by kind: %s", qPrintable(m_tally.join(QStringLiteral(", "))));

        // Settle: close what the person left open, stop the traffic, let the views catch up.
        closePopups();
        m_window->controls()->setTrafficRate(0);
        m_window->controls()->setAnalyticsRate(0);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady() ||
                                     m_window->lifecycle()->phase() == LabLifecycle::Phase::Failed,
                                 windowTimeoutMs);
        m_testers.clear();
        const QString dir = m_window->dataDirectory();
        QVERIFY(closeWindow(m_window));
        QVERIFY2(ThreadAudit::violationCount() == 0, qPrintable(auditReport()));

        // The views (both stores) equal a replay of the log and the write tables.
        LabConfig config;
        config.dataDir = dir;
        config.architecture = ArchitectureMode::Physical;
        Lab lab(config);
        QFuture<StoreInfo> opened = lab.open();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        lab.projections().setDelay({}, 0, 0);
        for (const QString& name : lab.projections().projectionNames())
            lab.projections().setPaused(name, false);
        lab.projections().retry({});
        for (ArchitectureMode mode : {ArchitectureMode::Physical, ArchitectureMode::Logical}) {
            switchArchitecture(lab, mode);
            QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
            const qint64 head = lab.bus().headPosition();
            const ReplayResult replay = await(
                lab.projections().replayTo(head, QDir(dir).filePath(QStringLiteral("replay.db"))));
            QVERIFY2(replay.ok, qPrintable(replay.error));
            CQRS_COMPARE_STORES(lab.projectionStorePath(mode), replay.storePath);
            CQRS_COMPARE_WITH_CRUD(lab.queries(), mode);
        }
        lab.close();
    }

private:
    void watchModels() {
        // Every model in the window, the sorting proxies included.
        for (QAbstractItemModel* model : m_window->findChildren<QAbstractItemModel*>()) {
            bool qtsOwn = false; // the pickers' and completers' models
            for (QObject* up = model->parent(); up && !qtsOwn; up = up->parent())
                qtsOwn = qobject_cast<QComboBox*>(up) || qobject_cast<QCompleter*>(up);
            if (qtsOwn)
                continue;
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        }
        QVERIFY(m_testers.size() >= 8);
    }

    template <typename T> T pick(const QList<T>& from) {
        return from.at(std::uniform_int_distribution<qsizetype>(0, from.size() - 1)(m_random));
    }

    int chance(int from, int to) { return std::uniform_int_distribution<int>(from, to)(m_random); }

    /// A point inside `widget`, in its coordinates.
    QPoint somewhere(QWidget* widget) {
        return QPoint(chance(1, std::max(1, widget->width() - 2)),
                      chance(1, std::max(1, widget->height() - 2)));
    }

    void note(const QString& kind, const QString& what) {
        m_lastAction = kind + u' ' + what;
        const QString prefix = kind + u'=';
        for (QString& entry : m_tally) {
            if (entry.startsWith(prefix)) {
                entry = prefix + QString::number(entry.mid(prefix.size()).toInt() + 1);
                return;
            }
        }
        m_tally.append(prefix + u'1');
    }

    /// What a person can point at: visible, enabled widgets of the window,
    /// except the menu bar (Quit would end the session) and what has no
    /// action of its own.
    QList<QWidget*> targets(QWidget* root) {
        QList<QWidget*> found;
        for (QWidget* widget : root->findChildren<QWidget*>()) {
            if (!widget->isVisible() || !widget->isEnabled() || widget->width() < 3 ||
                widget->height() < 3)
                continue;
            if (qobject_cast<QMenuBar*>(widget) ||
                (root == m_window.get() && widget->window() != m_window.get()))
                continue;
            if (qobject_cast<QAbstractButton*>(widget) || qobject_cast<QComboBox*>(widget) ||
                qobject_cast<QLineEdit*>(widget) || qobject_cast<QAbstractSpinBox*>(widget) ||
                qobject_cast<QAbstractSlider*>(widget) || qobject_cast<QTabBar*>(widget) ||
                widget->objectName() == QLatin1String("qt_scrollarea_viewport") ||
                qobject_cast<QAbstractItemView*>(widget->parentWidget()))
                found.append(widget);
        }
        return found;
    }

    void closePopups() {
        for (int i = 0;
             i < 10 && (QApplication::activePopupWidget() || QApplication::activeModalWidget());
             ++i) {
            QWidget* top = QApplication::activePopupWidget() ? QApplication::activePopupWidget()
                                                             : QApplication::activeModalWidget();
            QTest::keyClick(top, Qt::Key_Escape);
            pause(20);
        }
    }

    void act() {
        // A pop-up or dialog in front takes the next action, as for a person.
        if (QWidget* popup = QApplication::activePopupWidget()) {
            if (chance(0, 2) == 0) {
                note(QStringLiteral("popup-escape"),
                     QString::fromLatin1(popup->metaObject()->className()));
                QTest::keyClick(popup, Qt::Key_Escape);
            } else {
                note(QStringLiteral("popup-click"),
                     QString::fromLatin1(popup->metaObject()->className()));
                QTest::mouseClick(popup, Qt::LeftButton, {}, somewhere(popup));
            }
            return;
        }
        if (QWidget* modal = QApplication::activeModalWidget()) {
            const QList<QWidget*> inside = targets(modal);
            if (!inside.isEmpty() && chance(0, 3) > 0) {
                QWidget* target = pick(inside);
                note(QStringLiteral("dialog-click"),
                     QString::fromLatin1(target->metaObject()->className()));
                QTest::mouseClick(target, Qt::LeftButton, {}, somewhere(target));
            } else {
                note(QStringLiteral("dialog-escape"),
                     QString::fromLatin1(modal->metaObject()->className()));
                QTest::keyClick(modal, Qt::Key_Escape);
            }
            return;
        }
        const int kind = chance(0, 99);
        if (kind < 45)
            clickSomething();
        else if (kind < 60)
            typeSomething();
        else if (kind < 80)
            pressSomething();
        else if (kind < 90)
            dragSomething();
        else if (kind < 95)
            switchMode();
        else
            zoomSomehow();
    }

    void clickSomething() {
        const QList<QWidget*> all = targets(m_window.get());
        if (all.isEmpty())
            return;
        QWidget* target = pick(all);
        const QString name = target->accessibleName().isEmpty()
                                 ? QString::fromLatin1(target->metaObject()->className())
                                 : target->accessibleName();
        // The simulators' own knobs are set by the test's schedule, not at random.
        if (name.startsWith(QStringLiteral("Simulated orders")) ||
            name.startsWith(QStringLiteral("Analytics")))
            return;
        note(QStringLiteral("click"), name);
        if (chance(0, 9) == 0) {
            // A double click as the window system reports it: a click, then a press it calls
            // double.
            const QPoint at = somewhere(target);
            QTest::mouseClick(target, Qt::LeftButton, {}, at);
            QTest::mouseDClick(target, Qt::LeftButton, {}, at);
            QTest::mouseRelease(target, Qt::LeftButton, {}, at);
        } else
            QTest::mouseClick(target, chance(0, 15) == 0 ? Qt::RightButton : Qt::LeftButton, {},
                              somewhere(target));
    }

    void typeSomething() {
        QWidget* focus = QApplication::focusWidget();
        if (!focus || focus->window() != m_window.get()) {
            // Nothing has the focus: click into a field first, as a person would.
            QList<QWidget*> fields;
            for (QWidget* widget : targets(m_window.get())) {
                if (qobject_cast<QLineEdit*>(widget) || qobject_cast<QAbstractSpinBox*>(widget))
                    fields.append(widget);
            }
            if (fields.isEmpty())
                return;
            focus = pick(fields);
            QTest::mouseClick(focus, Qt::LeftButton, {}, somewhere(focus));
        }
        const QString text = pick(hostileTexts);
        note(QStringLiteral("type"), QString::fromLatin1(focus->metaObject()->className()));
        typeText(focus, text);
    }

    void pressSomething() {
        QWidget* focus = QApplication::focusWidget();
        if (!focus)
            focus = m_window.get();
        static const QList<Qt::Key> keys = {
            Qt::Key_Tab,    Qt::Key_Backtab, Qt::Key_Return,   Qt::Key_Enter,
            Qt::Key_Escape, Qt::Key_Up,      Qt::Key_Down,     Qt::Key_Left,
            Qt::Key_Right,  Qt::Key_PageUp,  Qt::Key_PageDown, Qt::Key_Home,
            Qt::Key_End,    Qt::Key_Space,   Qt::Key_Delete,   Qt::Key_Backspace};
        const Qt::Key key = pick(keys);
        note(QStringLiteral("key"), QString::number(key, 16));
        QTest::keyClick(focus, key, chance(0, 7) == 0 ? Qt::ShiftModifier : Qt::NoModifier);
    }

    void dragSomething() {
        QList<QAbstractSlider*> sliders;
        for (QAbstractSlider* slider : m_window->findChildren<QAbstractSlider*>()) {
            if (slider->isVisible() && slider->isEnabled() &&
                !slider->accessibleName().startsWith(QStringLiteral("Simulated orders")) &&
                !slider->accessibleName().startsWith(QStringLiteral("Analytics")))
                sliders.append(slider);
        }
        if (sliders.isEmpty())
            return;
        QAbstractSlider* slider = pick(sliders);
        note(QStringLiteral("drag"), slider->accessibleName().isEmpty()
                                         ? QString::fromLatin1(slider->metaObject()->className())
                                         : slider->accessibleName());
        const QPoint from = somewhere(slider);
        const QPoint to = somewhere(slider);
        QTest::mousePress(slider, Qt::LeftButton, {}, from);
        for (int step = 1; step <= 4; ++step)
            QTest::mouseMove(slider, from + (to - from) * step / 4);
        QTest::mouseRelease(slider, Qt::LeftButton, {}, to);
    }

    void switchMode() {
        // As a person does with the keyboard: focus a knob, arrow to another choice.
        QComboBox* combo = pick(QList<QComboBox*>{m_window->controls()->architecturePicker(),
                                                  m_window->controls()->updatePicker(),
                                                  m_window->controls()->consistencyPicker()});
        if (!combo->isVisible()) {
            // The knobs were closed: View › Knobs opens them again.
            if (auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("knobs"))) {
                note(QStringLiteral("menu"), QStringLiteral("View › Knobs"));
                dock->toggleViewAction()->trigger();
            }
            return;
        }
        if (!combo->isEnabled())
            return;
        note(QStringLiteral("mode"), combo->accessibleName());
        combo->setFocus();
        QTest::keyClick(combo, chance(0, 1) ? Qt::Key_Down : Qt::Key_Up);
    }

    void zoomSomehow() {
        const int which = chance(0, 2);
        note(QStringLiteral("zoom"), QString::number(which));
        // Stay within 0.6-2x: beyond that every layout pass costs the test its time.
        if (which == 0 && m_window->zoom() < 1.9)
            QTest::keyClick(m_window.get(), Qt::Key_Equal, Qt::ControlModifier);
        else if (which == 1)
            QTest::keyClick(m_window.get(), Qt::Key_Minus, Qt::ControlModifier);
        else
            QTest::keyClick(m_window.get(), Qt::Key_0, Qt::ControlModifier);
    }

    QTemporaryDir m_dir;
    QElapsedTimer m_clock;
    std::mt19937 m_random;
    std::unique_ptr<MainWindow> m_window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
    QString m_lastAction;
    QStringList m_tally;
};

QTEST_MAIN(TestRandomPerson)
#include "tst_randomperson.moc"
