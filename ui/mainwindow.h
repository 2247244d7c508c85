#pragma once

#include "commands/commandbus.h"

#include <QMainWindow>
#include <QTimer>

#include <memory>

class QLabel;

namespace cqrs::ui {

class CheckoutForm;

/// The application window: the checkout form and the write-side counters.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const QString& dataDirectory, QWidget* parent = nullptr);
    ~MainWindow() override;

private:
    void onStoreOpened(const StoreInfo& info);
    void refreshCatalog();
    void submitOrder(const PlaceOrder& order);
    void refreshCounters();

    QString m_dataDirectory;
    std::unique_ptr<CommandBus> m_bus;
    CheckoutForm* m_form = nullptr;
    QLabel* m_counters = nullptr;
    QTimer m_countersTimer;
};

} // namespace cqrs::ui
