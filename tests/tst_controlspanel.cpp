// The knobs as a person turns them: what does not apply says so, the
// traffic slider suits low rates, and nothing sends the focus astray.
#include "ui/controlspanel.h"

#include <QApplication>
#include <QComboBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>

using namespace cqrs;
using namespace cqrs::ui;

namespace {
template<typename W> W* byName(QWidget* root, const QString& name)
{
    for (W* widget : root->findChildren<W*>()) {
        if (widget->accessibleName() == name)
            return widget;
    }
    return nullptr;
}
} // namespace

class TestControlsPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_panel = std::make_unique<ControlsPanel>();
        m_panel->setLabAvailable(true);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    }

    void cleanup() { m_panel.reset(); }

    void crudSaysWhatIsNotInUse()
    {
        m_panel->architecturePicker()->setFocus();
        QTest::keyClick(m_panel->architecturePicker(), Qt::Key_Home); // CRUD is the first choice
        QCOMPARE(m_panel->architecture(), ArchitectureMode::Crud);
        QVERIFY(!m_panel->updatePicker()->isEnabled());
        QVERIFY(!m_panel->consistencyPicker()->isEnabled());
        QVERIFY(!m_panel->delaySlider()->isEnabled());
        QVERIFY(!byName<QPushButton>(m_panel.get(), QStringLiteral("Rebuild views"))->isEnabled());
        QVERIFY(m_panel->updateNote().contains(QStringLiteral("CRUD")));
        QVERIFY(m_panel->consistencyNote().contains(QStringLiteral("CRUD")));
        QVERIFY(m_panel->delayNote().contains(QStringLiteral("CRUD")));
        QTest::keyClick(m_panel->architecturePicker(), Qt::Key_End);
        QVERIFY(m_panel->delaySlider()->isEnabled());
        QVERIFY(m_panel->delayNote().isEmpty());
    }

    void synchronousUpdateHasNoUseForTheDelay()
    {
        m_panel->updatePicker()->setFocus();
        QTest::keyClick(m_panel->updatePicker(), Qt::Key_Down);
        QVERIFY(m_panel->synchronous());
        QVERIFY(!m_panel->delaySlider()->isEnabled());
        QVERIFY(m_panel->delayNote().contains(QStringLiteral("synchronous")));
        // Unless it could not start: then the projectors fold the views, delay and all.
        m_panel->setSynchronousProblem(QStringLiteral("read.db could not be attached"));
        QVERIFY(m_panel->delaySlider()->isEnabled());
        QVERIFY(m_panel->updateNote().contains(QStringLiteral("could not be attached")));
    }

    void readYourWritesSaysWhatItChanges()
    {
        QVERIFY(m_panel->consistencyNote().isEmpty());
        m_panel->consistencyPicker()->setFocus();
        QTest::keyClick(m_panel->consistencyPicker(), Qt::Key_Down);
        QCOMPARE(m_panel->consistency(), ConsistencyMode::ReadYourWrites);
        QVERIFY2(m_panel->consistencyNote().contains(QStringLiteral("never as pending")), qPrintable(m_panel->consistencyNote()));
    }

    void theTrafficSliderSuitsLowRates()
    {
        auto* slider = byName<QSlider>(m_panel.get(), QStringLiteral("Simulated orders per second"));
        QVERIFY(slider);
        QSignalSpy rates(m_panel.get(), &ControlsPanel::trafficRateChanged);
        slider->setFocus();
        slider->setValue(slider->maximum() / 2);
        QCOMPARE(m_panel->trafficRate(), 100); // the middle of the slider: 100/s of 10,000
        slider->setValue(slider->maximum() / 4);
        QCOMPARE(m_panel->trafficRate(), 10);
        QTest::keyClick(slider, Qt::Key_End);
        QCOMPARE(m_panel->trafficRate(), 10'000);
        QTest::keyClick(slider, Qt::Key_Home);
        QCOMPARE(m_panel->trafficRate(), 0);
        // A rate typed in the box stays as typed.
        m_panel->setTrafficRate(4'321);
        QCOMPARE(m_panel->trafficRate(), 4'321);
        QVERIFY(slider->value() > slider->maximum() * 9 / 10);
        QVERIFY(rates.count() >= 4);
    }

    void rebuildingKeepsTheFocusOffReset()
    {
        QSignalSpy rebuild(m_panel.get(), &ControlsPanel::rebuildRequested);
        auto* button = byName<QPushButton>(m_panel.get(), QStringLiteral("Rebuild views"));
        button->setFocus();
        QTest::keyClick(button, Qt::Key_Space);
        QCOMPARE(rebuild.count(), 1);
        m_panel->setRebuildProgress(10, 100); // the rebuild runs
        QVERIFY(button->hasFocus());
        QVERIFY(!byName<QPushButton>(m_panel.get(), QStringLiteral("Reset demo data"))->hasFocus());
        QTest::keyClick(button, Qt::Key_Space); // no second rebuild meanwhile
        QCOMPARE(rebuild.count(), 1);
        m_panel->setRebuildProgress(-1, 0);
        QTest::keyClick(button, Qt::Key_Space);
        QCOMPARE(rebuild.count(), 2);
    }

private:
    std::unique_ptr<ControlsPanel> m_panel;
};

QTEST_MAIN(TestControlsPanel)
#include "tst_controlspanel.moc"
