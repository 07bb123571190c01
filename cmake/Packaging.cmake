# Install rules for the Linux desktop integration files and the systemd unit, and the CPack
# settings for a Debian package holding both binaries. Included at the end of the top-level
# CMakeLists.txt, after the targets (and their own install() rules) exist.
#
#   cmake --build build && (cd build && cpack -G DEB)   ->  build/repldesk_<version>_<arch>.deb

include(GNUInstallDirs)

set(REPLDESK_PACKAGING_DIR "${PROJECT_SOURCE_DIR}/packaging/linux")
set(REPLDESK_ICONS_DIR "${PROJECT_SOURCE_DIR}/resources/icons")
set(REPLDESK_APP_ID "io.github.repldesk.ReplDesk")

# Relative to the install prefix (/usr in the .deb); Debian 12 merges /lib into /usr/lib.
set(REPLDESK_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "Where the systemd unit is installed, relative to the install prefix")

# --- desktop app: launcher, AppStream metadata, hicolor icons ---------------------------------
if(REPLDESK_BUILD_GUI)
    install(FILES "${REPLDESK_PACKAGING_DIR}/${REPLDESK_APP_ID}.desktop"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
    install(FILES "${REPLDESK_PACKAGING_DIR}/${REPLDESK_APP_ID}.metainfo.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
    foreach(size 16 32 48 64 128 256)
        install(FILES "${REPLDESK_ICONS_DIR}/hicolor/${size}x${size}/apps/repldesk.png"
                DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps")
    endforeach()
    install(FILES "${REPLDESK_ICONS_DIR}/repldesk.svg"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
endif()

# --- daemon: systemd unit (not enabled automatically) ------------------------------------------
install(FILES "${REPLDESK_PACKAGING_DIR}/repldesk-server.service"
        DESTINATION "${REPLDESK_SYSTEMD_UNITDIR}")

# --- Debian policy files: copyright and (native package) changelog.gz -------------------------
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    set(REPLDESK_DEBIAN_DIR "${PROJECT_SOURCE_DIR}/packaging/debian")
    install(FILES "${REPLDESK_DEBIAN_DIR}/copyright"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/repldesk")
    find_program(GZIP_PROGRAM gzip)
    if(GZIP_PROGRAM)
        set(REPLDESK_CHANGELOG_GZ "${PROJECT_BINARY_DIR}/packaging/changelog.gz")
        file(MAKE_DIRECTORY "${PROJECT_BINARY_DIR}/packaging")
        # -n: no name/timestamp in the header, so the file is reproducible.
        execute_process(COMMAND "${GZIP_PROGRAM}" -9nc "${REPLDESK_DEBIAN_DIR}/changelog"
                        OUTPUT_FILE "${REPLDESK_CHANGELOG_GZ}" COMMAND_ERROR_IS_FATAL ANY)
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                     "${REPLDESK_DEBIAN_DIR}/changelog")
        install(FILES "${REPLDESK_CHANGELOG_GZ}"
                DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/repldesk")
    endif()
endif()

# --- CPack: Debian package ----------------------------------------------------------------------
if(NOT CMAKE_SOURCE_DIR STREQUAL PROJECT_SOURCE_DIR)
    return() # only the top-level project packages
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "repldesk")
set(CPACK_PACKAGE_VENDOR "ReplDesk developers")
set(CPACK_PACKAGE_CONTACT "ReplDesk developers <dev@repldesk.invalid>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Desktop manager and server for document database replication")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_NAME "repldesk")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "ReplDesk developers <dev@repldesk.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION "database")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# CPack uses CPACK_PACKAGE_DESCRIPTION_SUMMARY as the synopsis; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "ReplDesk manages ArangoDB-style replication visually: inventory of databases
and collections, the replication logger and applier, a live log follower, a
lag monitor for every follower and guarded syncs that show exactly what will
be purged before anything happens. It works on its embedded engine with zero
configuration and manages remote servers just the same.
.
The package contains the desktop application (repldesk) and the headless
replication server (repldesk-server) with a systemd unit.")
# dpkg-shlibdeps finds the linked libraries (needs dpkg-dev and file); plugins loaded at run
# time are listed by hand: the SQLite driver (both binaries), the platform plugins and the SVG
# icon engine (desktop app).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(REPLDESK_DEB_DEPENDS "libqt6sql6-sqlite")
if(REPLDESK_BUILD_GUI)
    string(APPEND REPLDESK_DEB_DEPENDS ", qt6-qpa-plugins")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6svg6")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${REPLDESK_DEB_DEPENDS}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/\\\\.cache/")

include(CPack)
