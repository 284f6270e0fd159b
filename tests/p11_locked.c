/*
 * A PKCS#11 module for tests/cli_token.sh: SoftHSM2 as it is, except that
 * its tokens are locked, as a USB token is after too many wrong PINs
 * (SoftHSM itself never locks).  Every call goes to SoftHSM's own
 * function list; C_Login answers CKR_PIN_LOCKED and C_GetTokenInfo says
 * CKF_USER_PIN_LOCKED, so the whole path through OpenSSL's PKCS#11 engine
 * is the real one.  SOHOA_TEST_SOFTHSM names SoftHSM's module when it is
 * not at Debian's place.
 */
#include <dlfcn.h>
#include <stdlib.h>

#include <p11-kit/pkcs11.h>

#define SOFTHSM "/usr/lib/softhsm/libsofthsm2.so"

static CK_FUNCTION_LIST locked;
static CK_FUNCTION_LIST_PTR real;

static CK_RV
locked_login(CK_SESSION_HANDLE session, CK_USER_TYPE user,
    CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
	(void)session;
	(void)user;
	(void)pin;
	(void)len;
	return CKR_PIN_LOCKED;
}

static CK_RV
locked_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
	CK_RV rv = real->C_GetTokenInfo(slot, info);

	if (rv == CKR_OK)
		info->flags |= CKF_USER_PIN_LOCKED;
	return rv;
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
	const char *path = getenv("SOHOA_TEST_SOFTHSM");
	CK_C_GetFunctionList get;
	void *h;

	if (real == NULL) {
		h = dlopen(path != NULL ? path : SOFTHSM, RTLD_NOW | RTLD_LOCAL);
		if (h == NULL)
			return CKR_GENERAL_ERROR;
		get = (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList");
		if (get == NULL || get(&real) != CKR_OK)
			return CKR_GENERAL_ERROR;
		locked = *real;
		locked.C_Login = locked_login;
		locked.C_GetTokenInfo = locked_token_info;
	}
	*list = &locked;
	return CKR_OK;
}
