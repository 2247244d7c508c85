#include "ui/windowmenus.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>

namespace cqrs::ui {

namespace {
/// The platform's zoom keys may repeat ours; a repeated key would be ambiguous.
QList<QKeySequence> unique(const QList<QKeySequence>& keys)
{
    QList<QKeySequence> result;
    for (const QKeySequence& key : keys) {
        if (!key.isEmpty() && !result.contains(key))
            result.append(key);
    }
    return result;
}
} // namespace

void addWindowMenus(QMainWindow* window, const MenuActions& actions)
{
    QMenuBar* bar = window->menuBar();
    QMenu* file = bar->addMenu(QMainWindow::tr("&File"));
    QAction* reset = file->addAction(QMainWindow::tr("&Reset demo data…"), window, actions.resetDemoData);
    reset->setStatusTip(QMainWindow::tr("Delete the stores and start again from the demo catalog, every knob at its default"));
    file->addSeparator();
    QAction* quit = file->addAction(QMainWindow::tr("&Quit"), window, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = bar->addMenu(QMainWindow::tr("&View"));
    QAction* in = view->addAction(QMainWindow::tr("Zoom &in"), window, actions.zoomIn);
    in->setShortcuts(unique(QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)}
                            + QKeySequence::keyBindings(QKeySequence::ZoomIn)));
    QAction* out = view->addAction(QMainWindow::tr("Zoom &out"), window, actions.zoomOut);
    out->setShortcuts(unique(QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Minus)} + QKeySequence::keyBindings(QKeySequence::ZoomOut)));
    QAction* normal = view->addAction(QMainWindow::tr("&Actual size"), window, actions.resetZoom);
    normal->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    view->addSeparator();
    for (QDockWidget* dock : window->findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());

    QMenu* lessons = bar->addMenu(QMainWindow::tr("Lesso&ns"));
    QAction* setUp = lessons->addAction(QMainWindow::tr("&Set up this lesson"), window, actions.setUpLesson);
    setUp->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction* nextLesson = lessons->addAction(QMainWindow::tr("&Next lesson"), window, actions.nextLesson);
    nextLesson->setShortcut(QKeySequence(Qt::Key_PageDown));
    QAction* previousLesson =
        lessons->addAction(QMainWindow::tr("&Previous lesson"), window, actions.previousLesson);
    previousLesson->setShortcut(QKeySequence(Qt::Key_PageUp));

    QMenu* help = bar->addMenu(QMainWindow::tr("&Help"));
    const QString folder = actions.dataDirectory;
    help->addAction(QMainWindow::tr("&About CQRS Lab"), window, [window, folder] {
        // Window-modal, not a nested event loop.
        auto* box = new QMessageBox(
            QMessageBox::Information, QMainWindow::tr("About CQRS Lab"),
            QMainWindow::tr("<h3>CQRS Lab %1</h3><p>Commands change a normalized write store and append "
                            "events in the same transaction. Projectors fold the events into read views "
                            "on their own threads; the dashboard reads only those views.</p><p>Turn the "
                            "knobs to watch eventual consistency happen.</p><p>Data: %2</p>")
                .arg(QCoreApplication::applicationVersion(), folder.toHtmlEscaped()),
            QMessageBox::Ok, window);
        box->setObjectName(QStringLiteral("about"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

} // namespace cqrs::ui
