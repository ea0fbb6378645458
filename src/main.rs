//! Binary entry point: the server CLI natively, the islands client in wasm.

fn main() {
    #[cfg(feature = "server")]
    std::process::exit(quire::server::main());

    #[cfg(all(target_arch = "wasm32", feature = "web", not(feature = "server")))]
    quire::web::islands::start();
}
