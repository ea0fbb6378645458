//! Binary entry point: the server CLI natively, the hydrating client in wasm.

fn main() {
    #[cfg(feature = "server")]
    std::process::exit(quire::server::main());

    #[cfg(not(feature = "server"))]
    dioxus::launch(quire::web::App);
}
