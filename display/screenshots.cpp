#include "display/screenshots.hpp"

#include "protocol/codec.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <ctime>
#include <fstream>

namespace tablo::display {
namespace {

std::string timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

protocol::ScreenAnswer answer_of(const std::string& png) {
  // Base64 grows it by a third, and the answer must fit the hub's limit.
  if (png.size() > protocol::limits::screen_answer / 4 * 3 - 1024) {
    return {std::nullopt, "the screenshot is " + std::to_string(png.size()) + " bytes of PNG, more than the hub relays"};
  }
  return {protocol::ScreenFile{"image/png", png}, {}};
}

// To a temporary file beside `path`, then renamed: a reader never sees half a PNG.
void write_atomically(const std::string& bytes, const std::filesystem::path& path) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
}

// A screenshot is never more urgent than a frame: the encoding thread gives way to the screen's
// own threads, and to the decoders, on a busy machine (and leaves a real-time policy the
// screen was started under, which it would otherwise share with them as an equal).
void give_way() {
  const sched_param ordinary{};
  pthread_setschedparam(pthread_self(), SCHED_OTHER, &ordinary);
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
}

}  // namespace

Screenshots::Screenshots(const ScreenOptions& o, ReportLine& line)
    : dir_(o.screenshot_dir),
      every_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.screenshot_every))),
      line_(line) {
  if (!dir_.empty()) std::filesystem::create_directories(dir_);
  encoder_ = std::thread([this] { encode_jobs(); });
}

Screenshots::~Screenshots() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  encoder_.join();
}

ShotOrders Screenshots::orders(bool on_demand, std::vector<std::string> relay_ids, Clock::time_point now) const {
  ShotOrders o;
  if (on_demand && !dir_.empty()) o.on_demand = dir_ / ("screen-" + timestamp() + ".png");
  o.latest = interval_due(now);
  o.relay_ids = std::move(relay_ids);
  return o;
}

std::optional<Clock::time_point> Screenshots::next_due() const {
  if (!interval() || !changed_) return std::nullopt;
  return last_ + every_;
}

void Screenshots::take(const VideoOutput& output, ShotOrders orders, Clock::time_point now) {
  if (orders.latest) {
    last_ = now;
    changed_ = false;
  }
  Job job{ReadBack{}, std::move(orders)};
  {
    std::lock_guard lock(mutex_);
    job.frame.pixels.swap(spare_);
  }
  try {
    output.read_back(job.frame);
  } catch (const std::exception& e) {
    spdlog::error("screenshot failed: {}", e.what());
    for (auto& id : job.orders.relay_ids) line_.answer(std::move(id), {std::nullopt, std::string("screenshot failed: ") + e.what()});
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (waiting_) {
      // The older frame is dropped; what it was for is served by this one.
      auto& older = waiting_->orders;
      if (job.orders.on_demand.empty()) job.orders.on_demand = std::move(older.on_demand);
      job.orders.latest = job.orders.latest || older.latest;
      job.orders.relay_ids.insert(job.orders.relay_ids.begin(), older.relay_ids.begin(), older.relay_ids.end());
      spare_.swap(waiting_->frame.pixels);
    }
    waiting_ = std::move(job);
  }
  wake_.notify_all();
}

// The encoding thread: one frame after another; on stopping, the frame waiting is made first.
void Screenshots::encode_jobs() {
  give_way();
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || waiting_; });
    if (!waiting_) return;
    Job job = std::move(*waiting_);
    waiting_.reset();
    lock.unlock();
    make(job);
    lock.lock();
    if (spare_.capacity() < job.frame.pixels.capacity()) spare_.swap(job.frame.pixels);
  }
}

void Screenshots::make(const Job& job) {
  std::string png, error;
  try {
    png = media::encode_png(job.frame.image());
  } catch (const std::exception& e) {
    error = e.what();
    spdlog::error("screenshot failed: {}", error);
  }
  for (const auto& id : job.orders.relay_ids) {
    line_.answer(id, error.empty() ? answer_of(png) : protocol::ScreenAnswer{std::nullopt, "screenshot failed: " + error});
  }
  if (!error.empty()) return;
  auto save = [&png](const std::filesystem::path& path) {
    try {
      write_atomically(png, path);
      return true;
    } catch (const std::exception& e) {
      spdlog::error("screenshot failed: {}", e.what());
      return false;
    }
  };
  if (!job.orders.on_demand.empty() && save(job.orders.on_demand)) {
    spdlog::info("screenshot saved to {}", job.orders.on_demand.string());
  }
  if (job.orders.latest) save(dir_ / "latest.png");
}

}  // namespace tablo::display
