#pragma once

#include <QString>

#include <functional>

class QMainWindow;

namespace cqrs::ui {

/// What the window's menus do; each entry is called on the window's thread.
struct MenuActions
{
    std::function<void()> resetDemoData;
    std::function<void()> zoomIn;
    std::function<void()> zoomOut;
    std::function<void()> resetZoom;
    std::function<void()> nextLesson;
    std::function<void()> previousLesson;
    std::function<void()> setUpLesson;
    QString dataDirectory;
};

/// File (Reset demo data, Quit), View (zoom, the docks), Lessons (next,
/// previous, set up) and Help (About)
/// on `window`'s menu bar, with their shortcuts.
void addWindowMenus(QMainWindow* window, const MenuActions& actions);

} // namespace cqrs::ui
